-- "Review next" first looks for a claim the reviewer still holds (review_next, V044). The planner answered that from
-- review_open (every open claim of every submission) ANDed with review_reviewer: right while few claims are open, as
-- when the table was last analysed before a deadline, and 0.3 ms a call once a thousand reviewers have claimed at
-- once (2,000 open claims scanned per call; the statistics lag such a burst by design). The reviewer's own open
-- claims are a row or two through this index at any moment.
CREATE INDEX review_held ON review (reviewer_id) WHERE completed_at IS NULL;
