#!/usr/bin/env bash
# Cohort pulse benchmark (issue 11): the pulse page and its API for a cohort of 5,000 participants with a term
# (8 module weeks) of activity, timed one request after another (no other load), p50 and p99 beside the target.
#
#   bash src/bench/pulse.sh          (needs curl and psql; PostgreSQL at BENCH_DATABASE_ADMIN_URL)
#   PEOPLE=20000 REQUESTS=300 bash src/bench/pulse.sh
#
# The data generator is plain SQL (generate_series, seeded random()): 5,000 participants (90% mostly read, 9% post
# now and then, 1% post a lot; about a third fade away during the term), ~100,000 activity_day rows, ~1,500
# threads with ~9,000 posts, ~15,000 helpful marks, 30 café nominations, ~3,000 submissions with 3 reviews each,
# and a presence row per minute for two nodes over the 8 weeks (~160,000 rows).
set -euo pipefail
cd "$(dirname "$0")/../.."

ADMIN_URL=${BENCH_DATABASE_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
DB=knowmad_bench_pulse
PORT=${BENCH_PORT:-8093}
PEOPLE=${PEOPLE:-5000}
REQUESTS=${REQUESTS:-200}
TARGET_MS=300
BASE="http://localhost:$PORT"
JAR=target/knowmad.jar
[ -f "$JAR" ] && [ -z "${REBUILD:-}" ] || mvn -q package -DskipTests
wait_for() { for _ in $(seq 1 600); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done; echo "$1 did not answer" >&2; exit 1; }

# A course of 8 weekly modules whose fixed cohort started 8 weeks ago today: the term ended yesterday, so the
# pulse opens on week 8, and every chart has a full term behind it.
START=$(date -d "-56 days" +%F)
COURSES=$(mktemp -d)
mkdir -p "$COURSES/bench"
{
  echo 'id: bench'; echo 'title: "Pulse benchmark"'; echo 'language: en'; echo 'timezone: Europe/Amsterdam'
  echo 'summary: "A term of activity for the pulse benchmark."'
  echo 'facilitators:'; echo '  - { email: bench-fac@example.org, name: Fay }'
  echo 'cohorts:'; echo "  - { id: term, starts: ${START}T09:00, enrolment: open }"
  echo 'modules:'
  for w in 1 2 3 4 5 6 7 8; do
    echo "  - { id: week-$w, title: \"Week $w\", opens: P$(( (w - 1) * 7 ))D, content: week-$w.md }"
    echo "# Week $w" > "$COURSES/bench/week-$w.md"
  done
} > "$COURSES/bench/course.yaml"
# The assignment of week 3 (submit in week 3, review in week 4).
python3 - "$COURSES/bench/course.yaml" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read().replace('content: week-3.md }', '''content: week-3.md,
      assignment: { title: "A practice", instructions: "Describe one.", submit_by: P18D, review_by: P25D, reviews_per_submission: 3,
        rubric: [ { id: clarity, title: "Clarity", levels: [ { points: 0, label: "Unclear" }, { points: 1, label: "Clear" } ] } ] } }''')
open(p, 'w').write(s)
PY

psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
export DATABASE_URL="${ADMIN_URL%/*}/$DB" PORT BASE_URL="$BASE" KNOWMAD_DATA_DIR="$(mktemp -d)" COURSES_DIR="$COURSES"
java -jar "$JAR" migrate >/dev/null

echo "== generating a term for $PEOPLE participants (cohort started $START)"
time psql "$DATABASE_URL" -q -v ON_ERROR_STOP=1 -v start="$START" -v people="$PEOPLE" <<'SQL'
SELECT setseed(0.11);
INSERT INTO account (email, name, created_at)
SELECT 'p' || n || '@example.org', 'Participant ' || n, now() - interval '70 days' FROM generate_series(1, :people) n;
INSERT INTO account (email, name, created_at) VALUES ('bench-fac@example.org', 'Fay', now());
CREATE TEMP TABLE people AS
SELECT a.id, n,
       CASE WHEN n % 100 = 0 THEN 'frequent' WHEN n % 100 < 10 THEN 'occasional' ELSE 'lurker' END AS kind,
       CASE WHEN random() < 0.35 THEN 1 + floor(random() * 7)::int ELSE 99 END AS stays_weeks
FROM account a JOIN LATERAL (SELECT substring(a.email FROM 'p(\d+)@')::int AS n) x ON true WHERE a.email LIKE 'p%@example.org';
INSERT INTO enrolment (course_id, cohort_id, account_id, joined_at, guidelines_accepted_at)
SELECT 'bench', 'term', id, (:'start'::date - 3 + time '12:00') AT TIME ZONE 'Europe/Amsterdam' + (n % 500) * interval '1 minute',
       now() - interval '60 days' FROM people;

-- Activity: a row per person and active day (module of that week), and some cohort-home rows (module '').
INSERT INTO activity_day (course_id, cohort_id, account_id, day, module_id, visits, reads, reactions, threads, replies, submissions, reviews, last_at)
SELECT 'bench', 'term', p.id, :'start'::date + d, 'week-' || (d / 7 + 1), 1 + floor(random() * 3)::int, floor(random() * 5)::int,
       (random() < CASE p.kind WHEN 'lurker' THEN 0.08 ELSE 0.4 END)::int,
       CASE WHEN p.kind = 'frequent' AND random() < 0.3 THEN 1 WHEN p.kind = 'occasional' AND random() < 0.08 THEN 1 ELSE 0 END,
       CASE WHEN p.kind = 'frequent' THEN floor(random() * 3)::int WHEN p.kind = 'occasional' AND random() < 0.12 THEN 1 ELSE 0 END,
       (d / 7 = 2 AND random() < 0.3)::int, (d / 7 = 3 AND random() < 0.4)::int,
       (:'start'::date + d + time '10:00') AT TIME ZONE 'Europe/Amsterdam' + random() * interval '12 hours'
FROM people p CROSS JOIN generate_series(0, 55) d
WHERE random() < CASE p.kind WHEN 'lurker' THEN 0.25 WHEN 'occasional' THEN 0.45 ELSE 0.8 END
                 * CASE WHEN d / 7 >= p.stays_weeks THEN 0.02 ELSE 1 - d / 140.0 END;
INSERT INTO activity_day (course_id, cohort_id, account_id, day, module_id, visits, last_at)
SELECT 'bench', 'term', p.id, :'start'::date + d, '', 1, (:'start'::date + d + time '09:00') AT TIME ZONE 'Europe/Amsterdam'
FROM people p CROSS JOIN generate_series(0, 55) d
WHERE random() < 0.08 AND d / 7 < p.stays_weeks
ON CONFLICT DO NOTHING;

-- Discussions: threads by contributors, replies by contributors and some readers.
CREATE TEMP TABLE writers AS SELECT array_agg(id) AS a FROM people WHERE kind <> 'lurker' OR n % 30 = 1;
INSERT INTO thread (course_id, cohort_id, module_id, title, author_id, anonymous, post_count, created_at, last_posted_at)
SELECT 'bench', 'term', 'week-' || (1 + g % 8), 'Question ' || g, w.a[1 + floor(random() * cardinality(w.a))::int], random() < 0.05, 1,
       t, t
FROM generate_series(1, 1500) g CROSS JOIN writers w
CROSS JOIN LATERAL (SELECT (:'start'::date + (g % 8) * 7 + floor(random() * 7)::int + time '11:00') AT TIME ZONE 'Europe/Amsterdam' AS t) x;
INSERT INTO post (thread_id, number, author_id, anonymous, body, created_at)
SELECT id, 1, author_id, anonymous, 'What do you think about ' || title || '?', created_at FROM thread;
INSERT INTO post (thread_id, number, author_id, body, created_at)
SELECT t.id, 1 + row_number() OVER (PARTITION BY t.id ORDER BY r.g), w.a[1 + floor(random() * cardinality(w.a))::int],
       'A reply, number ' || r.g || ', with some words in it.', t.created_at + random() * interval '60 hours'
FROM (SELECT g, 1 + floor(random() * 1400)::int AS t FROM generate_series(1, 7500) g) r
JOIN thread t ON t.id = r.t CROSS JOIN writers w;
UPDATE thread t SET post_count = c.n, last_posted_at = c.last FROM (SELECT thread_id, max(number) AS n, max(created_at) AS last FROM post GROUP BY 1) c
WHERE c.thread_id = t.id;
INSERT INTO reaction (post_id, account_id, kind, created_at)
SELECT 1 + floor(random() * (SELECT max(id) FROM post))::int, p.id, 'helpful', now() - interval '20 days'
FROM generate_series(1, 15000) g JOIN people p ON p.n = 1 + floor(random() * :people)::int
ON CONFLICT DO NOTHING;
UPDATE post p SET helpful_count = c.n FROM (SELECT post_id, count(*) AS n FROM reaction GROUP BY 1) c WHERE c.post_id = p.id;
INSERT INTO meetup_nomination (thread_id, nominated_by, created_at, vote_count)
SELECT t.id, t.author_id, t.created_at + interval '1 day', floor(random() * 60)::int FROM thread t WHERE t.id % 50 = 0;

-- Peer review in week 3: 60% submit (5% late), three reviews each; 10% end up short after the window closed.
INSERT INTO submission (course_id, cohort_id, module_id, author_id, draft, body, submitted_at, updated_at, late, pool_from, grade_due, needed,
                        reviews_received, reviews_given)
SELECT 'bench', 'term', 'week-3', p.id, 'My practice', 'My practice', d.at, d.at, random() < 0.05,
       (:'start'::date + 18 + time '09:00') AT TIME ZONE 'Europe/Amsterdam',
       (:'start'::date + 25 + time '09:00') AT TIME ZONE 'Europe/Amsterdam', 3,
       CASE WHEN random() < 0.1 THEN floor(random() * 3)::int ELSE 3 END, floor(random() * 5)::int
FROM people p CROSS JOIN LATERAL (SELECT (:'start'::date + 16 + time '20:00') AT TIME ZONE 'Europe/Amsterdam' AS at) d
WHERE random() < 0.6;
INSERT INTO review (submission_id, reviewer_id, claimed_at, lease_until, scores, comment, completed_at)
SELECT s.id, o.author_id, s.pool_from, s.pool_from + interval '1 hour', '{"clarity": 1}', 'Clear enough.', s.pool_from + interval '30 minutes'
FROM submission s CROSS JOIN generate_series(1, 3) k
JOIN LATERAL (SELECT author_id FROM submission o WHERE o.id = (SELECT min(id) FROM submission) + (s.id + k * 7) % (SELECT count(*) FROM submission)) o ON true
WHERE o.author_id <> s.author_id
ON CONFLICT DO NOTHING;

-- Presence: two nodes, every minute of the term, a daily rhythm with an evening peak.
INSERT INTO presence_minute (course_id, cohort_id, minute, node, people)
SELECT 'bench', 'term', m, node,
       greatest(0, floor((20 + 90 * greatest(0, sin(pi() * (extract(hour FROM m AT TIME ZONE 'Europe/Amsterdam') - 7) / 15.0)))
                         * (1.2 - extract(epoch FROM m - :'start'::date::timestamptz) / (56 * 86400.0)) * (0.4 + random() * 0.2)))::int
FROM generate_series((:'start'::date + time '00:00') AT TIME ZONE 'Europe/Amsterdam',
                     (:'start'::date + 56 + time '00:00') AT TIME ZONE 'Europe/Amsterdam' - interval '1 minute', interval '1 minute') m
CROSS JOIN (VALUES ('node-a'), ('node-b')) n(node);
VACUUM ANALYZE;
SQL
psql "$DATABASE_URL" -Atc "SELECT 'activity_day ' || (SELECT count(*) FROM activity_day) || ', posts ' || (SELECT count(*) FROM post)
  || ', reactions ' || (SELECT count(*) FROM reaction) || ', submissions ' || (SELECT count(*) FROM submission)
  || ', reviews ' || (SELECT count(*) FROM review) || ', presence_minute ' || (SELECT count(*) FROM presence_minute)"

java ${SERVER_OPTS:-} -jar "$JAR" serve > /tmp/knowmad-bench-pulse.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
wait_for "$BASE/health"

token=$(java -jar "$JAR" token create bench-fac@example.org | tail -n 1)
jar=$(mktemp)
link=$(java -jar "$JAR" signin-link bench-fac@example.org | tail -n 1)
path=${link#"$BASE"}
csrf=$(curl -s -c "$jar" -b "$jar" "$BASE$path" | sed -n 's/.*data-csrf="\([^"]*\)".*/\1/p')
curl -s -o /dev/null -c "$jar" -b "$jar" -X POST --data-urlencode "_csrf=$csrf" "$BASE$path"
cookie=$(awk '$6=="knowmad_session"{print "knowmad_session=" $7}' "$jar")
page="$BASE/courses/bench/term/pulse"
api="$BASE/api/v1/courses/bench/term/pulse"
[ "$(curl -s -o /dev/null -w '%{http_code}' -b "$cookie" "$page")" = 200 ] || { echo "the pulse page does not answer 200" >&2; exit 1; }
curl -s -H "Authorization: Bearer $token" "$api" | python3 -c '
import json, sys
p = json.load(sys.stdin)
o = p["overall"]
print("pulse of week", p["week"], "· enrolled", o["funnel"]["enrolled"]["count"], "· visited", o["funnel"]["visited"]["count"],
      "· posted", o["funnel"]["posted"]["count"], "· shape", [o["shape"][k]["percent"] for k in ("lurkers", "occasional", "frequent")],
      "· peak", p["peak"]["online"], "· drifted", p["drifted"], "· threads", p["discussion"]["threads"])'

# Times $REQUESTS sequential requests (after 20 to warm up) and prints p50/p99 in ms.
measure() {
  local label=$1; shift
  for _ in $(seq 1 20); do curl -s -o /dev/null "$@"; done
  for _ in $(seq 1 "$REQUESTS"); do curl -s -o /dev/null -w '%{time_total}\n' "$@"; done | sort -n | awk -v label="$label" -v target="$TARGET_MS" '
    { t[NR] = $1 * 1000 } END { p50 = t[int(NR * 0.5)]; p99 = t[int(NR * 0.99)]
      printf "%-34s p50 %6.1f ms   p99 %6.1f ms   (target p99 <= %d ms: %s, %d requests)\n", label, p50, p99, target, (p99 <= target ? "met" : "MISSED"), NR }'
}
echo "== one request at a time, $PEOPLE participants"
measure "pulse page (HTML, signed in)" -b "$cookie" "$page"
measure "pulse API (JSON, token)" -H "Authorization: Bearer $token" "$api"
