-- [retention] alert_deliveries deletes delivered alerts (sent, or failed for good) older than
-- the setting, 5,000 at a time. Without an index each batch read the table from its start
-- until it had found 5,000 old enough: once purges have freed the first pages and new rows
-- filled them, that is most of the table (150 ms a batch at 2,000,000 deliveries, growing with
-- the table). Pending rows are never purged and stay out of the index.
CREATE INDEX alert_deliveries_delivered_created_idx ON alert_deliveries (created_at)
    WHERE status <> 'pending';
