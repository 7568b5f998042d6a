-- What Xero sent Switchboard, per calendar month (UTC, 'YYYY-MM') and API group: Xero bills an
-- app for data downloaded beyond its tier's monthly allowance, so the practice needs the totals.
CREATE TABLE xero_egress (
    month TEXT    NOT NULL,
    api   TEXT    NOT NULL,
    bytes INTEGER NOT NULL,
    calls INTEGER NOT NULL,
    PRIMARY KEY (month, api)
) STRICT, WITHOUT ROWID;
