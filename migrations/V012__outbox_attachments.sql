-- One optional attachment per queued mail (calendar invites). Text is enough: .ics files are text,
-- and keeping it readable lets the development outbox offer it as a download.
ALTER TABLE outbox
    ADD COLUMN attachment_name text,
    ADD COLUMN attachment_type text,
    ADD COLUMN attachment_body text;
