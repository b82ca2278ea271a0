-- 电子监察 (issue 21, Deliver 3) on PostgreSQL, as central/store/watch_sqlite.py makes them on SQLite.
CREATE TABLE staff_contacts (username TEXT PRIMARY KEY, phone TEXT NOT NULL, email TEXT NOT NULL);
CREATE TABLE supervisions (
    row_no BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reference TEXT NOT NULL, at TEXT NOT NULL, supervisor TEXT NOT NULL, reviewer TEXT NOT NULL,
    remark TEXT NOT NULL, channel TEXT NOT NULL
);
CREATE INDEX supervisions_ref ON supervisions(reference, row_no);
CREATE TABLE followup_steps (
    row_no BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id TEXT NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL
);
CREATE INDEX followup_steps_app ON followup_steps(application_id, row_no);
