-- The demo's source database "shop" (scripts/run.sh): four tables of mixed types, filled with generated rows that the
-- source's initial snapshot carries to the destination. Sizes come from psql variables:
--   psql -v customers=50000 -v products=10000 -v orders=150000 -v events=90000 -d shop -f scripts/demo/shop.sql
\set ON_ERROR_STOP on

CREATE TABLE public.customers (
  id bigserial PRIMARY KEY, name text NOT NULL, email varchar(200), balance numeric(12,2), tags text[],
  active boolean NOT NULL DEFAULT true, created_at timestamptz DEFAULT now());
CREATE TABLE public.products (
  id serial PRIMARY KEY, sku uuid NOT NULL, title text NOT NULL, price numeric(10,2), weight_kg double precision,
  attributes jsonb, updated_at timestamp DEFAULT localtimestamp);
CREATE TABLE public.orders (
  id bigserial PRIMARY KEY, customer_id bigint NOT NULL, product_id integer NOT NULL, quantity smallint NOT NULL,
  total numeric(12,2), status varchar(16) NOT NULL DEFAULT 'new', placed date DEFAULT current_date, note text);
CREATE TABLE public.events (
  id bigserial PRIMARY KEY, occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(), kind text NOT NULL,
  payload jsonb, client inet, duration interval, digest bytea);

INSERT INTO public.customers (name, email, balance, tags)
  VALUES ('Ada', 'ada@example.com', 12.50, '{vip}'), ('Grace', 'grace@example.com', 0, '{}');
INSERT INTO public.customers (name, email, balance, tags, active, created_at)
  SELECT 'customer ' || i, 'c' || i || '@example.com', (i % 1000) / 10.0, ARRAY['tier' || i % 3], i % 7 <> 0,
         TIMESTAMPTZ '2026-01-01 00:00:00+00' + i * INTERVAL '1 minute'
  FROM generate_series(3, :customers) i;
INSERT INTO public.products (sku, title, price, weight_kg, attributes)
  SELECT md5('sku' || i)::uuid, 'product ' || i, (i % 200) + 0.49, i % 97 / 7.0,
         jsonb_build_object('color', (ARRAY['red', 'green', 'blue'])[1 + i % 3], 'size', i % 5)
  FROM generate_series(1, :products) i;
INSERT INTO public.orders (customer_id, product_id, quantity, total, status, placed, note)
  SELECT 1 + i % :customers, 1 + i % :products, 1 + i % 5, (i % 500) + 0.99, (ARRAY['new', 'paid', 'shipped'])[1 + i % 3],
         DATE '2026-01-01' + i % 300, CASE WHEN i % 10 = 0 THEN 'gift, "wrapped"' END
  FROM generate_series(1, :orders) i;
INSERT INTO public.events (occurred_at, kind, payload, client, duration, digest)
  SELECT TIMESTAMPTZ '2026-01-01 00:00:00+00' + i * INTERVAL '1 second', (ARRAY['view', 'cart', 'checkout'])[1 + i % 3],
         jsonb_build_object('page', '/p/' || i % 1000, 'ms', i % 900), ('10.0.' || i % 256 || '.' || i % 200)::inet,
         (i % 3600) * INTERVAL '1 second', decode(md5(i::text), 'hex')
  FROM generate_series(1, :events) i;
ANALYZE;
