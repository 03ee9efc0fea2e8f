CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    total INTEGER NOT NULL
);
INSERT INTO customers (name) VALUES ('seed customer');
