#!/usr/bin/env bash
# Game traffic for ingest-api with ApacheBench, the way the analysts drove the original project
# (e.g. `ab -n 10 -H "Host: user1.comcast.com" http://localhost:5000/purchase_a_sword`), one ab
# run per host x endpoint, all in parallel. Every answered request is one event, so the tally
# (--tally FILE) tells the caller how many events ingest-api accepted. See --help.
set -euo pipefail

PROG=$(basename "$0")

usage() {
  cat <<USAGE
Usage: $PROG [-t SECONDS | -n REQUESTS] [-c CONCURRENCY] [--hosts "H1 H2"] [--url BASE_URL]
             [--endpoints "PATH1 PATH2"] [--tally FILE] [--max-requests N]

Runs \`ab -k\` once per host x endpoint, all at the same time, with "Host: <host>" (the user_id
ingest-api records for these game events), then prints a summary and, with --tally, writes a TSV:
  host  endpoint  event_type  complete_requests  failed_requests  non_2xx  accepted  status
accepted = complete - failed - non-2xx. status: "ok" (accepted is exact), "inexact" (some requests
failed, so accepted is a lower bound), or "ab_error" (ab stopped, e.g. connection refused, and
printed no totals; the server may still have accepted some requests).

  -t, --duration SECONDS   run each host x endpoint this long (default 10)      [QUESTLOG_AB_DURATION]
                           capped at --max-requests requests (default 1000000)  [QUESTLOG_AB_MAX_REQUESTS]
  -n, --requests N         exactly N requests per host x endpoint instead of -t [QUESTLOG_AB_REQUESTS]
                           (deterministic: use this when tests need exact counts)
  -c, --concurrency N      concurrent connections per host x endpoint (default 4) [QUESTLOG_AB_CONCURRENCY]
  --hosts "H1 H2 ..."      Host headers, one simulated user each                [QUESTLOG_AB_HOSTS]
                           (default "user1.comcast.com user2.att.com")
  -u, --url BASE_URL       ingest-api (default http://127.0.0.1:5000)           [QUESTLOG_INGEST_URL]
  -e, --endpoints "P ..."  paths with their query parameters                    [QUESTLOG_AB_ENDPOINTS]
                           (default "/ /purchase_a_sword?sword_type=longsword&price=20
                                     /join_a_guild?guild_name=Knights%20of%20Ni")
  --tally FILE             write the machine-readable tally (TSV with a header line) [QUESTLOG_AB_TALLY]
  -h, --help               this text
The ab binary is \$QUESTLOG_AB if set, else \`ab\` on PATH (apt-get install -y apache2-utils).

With -t, requests still in flight when the time is up are not counted by ab although the server
may have accepted them (at most -c per host x endpoint): use -n when counts must be exact.
Exit status: 0 every ab run finished (see status/non_2xx for what the server answered),
1 some ab run failed, 2 bad usage or ab missing.

Example: $PROG -n 10 -c 2 --hosts "user1.comcast.com" --tally /tmp/tally.tsv
USAGE
}

die_usage() { echo "$PROG: $*" >&2; echo "Run $PROG --help for the options." >&2; exit 2; }

DURATION=${QUESTLOG_AB_DURATION:-10}
REQUESTS=${QUESTLOG_AB_REQUESTS:-}
CONCURRENCY=${QUESTLOG_AB_CONCURRENCY:-4}
HOSTS=${QUESTLOG_AB_HOSTS:-"user1.comcast.com user2.att.com"}
BASE_URL=${QUESTLOG_INGEST_URL:-http://127.0.0.1:5000}
ENDPOINTS=${QUESTLOG_AB_ENDPOINTS:-"/ /purchase_a_sword?sword_type=longsword&price=20 /join_a_guild?guild_name=Knights%20of%20Ni"}
MAX_REQUESTS=${QUESTLOG_AB_MAX_REQUESTS:-1000000}
TALLY=${QUESTLOG_AB_TALLY:-}
AB=${QUESTLOG_AB:-ab}
DURATION_GIVEN=${QUESTLOG_AB_DURATION:+yes}

while [[ $# -gt 0 ]]; do
  opt=$1
  case "$opt" in
    -h|--help) usage; exit 0 ;;
    -t|--duration|-n|--requests|-c|--concurrency|--hosts|-u|--url|-e|--endpoints|--tally|--max-requests)
      [[ $# -ge 2 ]] || die_usage "$opt needs a value"
      val=$2; shift 2
      case "$opt" in
        -t|--duration) DURATION=$val; DURATION_GIVEN=yes ;;
        -n|--requests) REQUESTS=$val ;;
        -c|--concurrency) CONCURRENCY=$val ;;
        --hosts) HOSTS=$val ;;
        -u|--url) BASE_URL=$val ;;
        -e|--endpoints) ENDPOINTS=$val ;;
        --tally) TALLY=$val ;;
        --max-requests) MAX_REQUESTS=$val ;;
      esac ;;
    *) die_usage "unknown option: $opt" ;;
  esac
done

is_pos_int() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }
errors=()
if [[ -n $REQUESTS ]]; then
  is_pos_int "$REQUESTS" || errors+=("-n/QUESTLOG_AB_REQUESTS=$REQUESTS is not a positive integer")
  [[ -z $DURATION_GIVEN ]] || errors+=("give either -t (duration) or -n (requests), not both")
else
  is_pos_int "$DURATION" || errors+=("-t/QUESTLOG_AB_DURATION=$DURATION is not a positive number of seconds")
  is_pos_int "$MAX_REQUESTS" || errors+=("--max-requests/QUESTLOG_AB_MAX_REQUESTS=$MAX_REQUESTS is not a positive integer")
fi
is_pos_int "$CONCURRENCY" || errors+=("-c/QUESTLOG_AB_CONCURRENCY=$CONCURRENCY is not a positive integer")
[[ $BASE_URL =~ ^https?://[^/]+/?$ ]] || errors+=("--url/QUESTLOG_INGEST_URL=$BASE_URL should look like http://HOST:PORT")
read -r -a host_list <<<"$HOSTS"
read -r -a endpoint_list <<<"$ENDPOINTS"
[[ ${#host_list[@]} -gt 0 ]] || errors+=("--hosts is empty")
[[ ${#endpoint_list[@]} -gt 0 ]] || errors+=("--endpoints is empty")
for ep in "${endpoint_list[@]}"; do
  [[ $ep == /* ]] || errors+=("endpoint '$ep' must start with /")
done
if [[ ${#errors[@]} -gt 0 ]]; then
  for e in "${errors[@]}"; do echo "$PROG: $e" >&2; done
  die_usage "invalid settings"
fi

if ! command -v "$AB" >/dev/null 2>&1; then
  echo "$PROG: ab not found: apt-get install -y apache2-utils" >&2
  exit 2
fi

event_type() {
  local path=${1%%\?*}
  case "$path" in
    /) echo default ;;
    /purchase_a_sword) echo purchase_sword ;;
    /join_a_guild) echo join_guild ;;
    *) echo unknown ;;
  esac
}

# ab's "Label:   value" lines; empty when absent
ab_field() { awk -F: -v k="$2" '$1 == k { gsub(/[ \t]/, "", $2); print $2; exit }' "$1"; }

BASE_URL=${BASE_URL%/}
work=$(mktemp -d "${TMPDIR:-/tmp}/game-traffic.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [[ -n $REQUESTS ]]; then
  mode="$REQUESTS requests"
else
  mode="${DURATION}s (max $MAX_REQUESTS requests)"
fi
echo "$PROG: ${#host_list[@]} host(s) x ${#endpoint_list[@]} endpoint(s), $mode each, concurrency $CONCURRENCY, against $BASE_URL"

i=0
for host in "${host_list[@]}"; do
  for ep in "${endpoint_list[@]}"; do
    args=(-k -l -q -H "Host: $host")   # no -r: a receive error aborts the run instead of hiding in the counts
    if [[ -n $REQUESTS ]]; then
      c=$CONCURRENCY; (( c <= REQUESTS )) || c=$REQUESTS   # ab refuses -c > -n
      args+=(-c "$c" -n "$REQUESTS")
    else
      args+=(-c "$CONCURRENCY" -t "$DURATION" -n "$MAX_REQUESTS")   # -n after -t: a cap, not the implied 50000
    fi
    printf '%s\t%s\n' "$host" "$ep" >"$work/$i.pair"
    ( rc=0; "$AB" "${args[@]}" "$BASE_URL$ep" >"$work/$i.out" 2>"$work/$i.err" || rc=$?; echo "$rc" >"$work/$i.rc" ) &
    i=$((i + 1))
  done
done
wait

tsv="$work/tally.tsv"
printf 'host\tendpoint\tevent_type\tcomplete_requests\tfailed_requests\tnon_2xx\taccepted\tstatus\n' >"$tsv"
bad=0; warn=0
for ((j = 0; j < i; j++)); do
  IFS=$'\t' read -r host ep <"$work/$j.pair"
  complete=$(ab_field "$work/$j.out" "Complete requests")
  failed=$(ab_field "$work/$j.out" "Failed requests")
  non2xx=$(ab_field "$work/$j.out" "Non-2xx responses")
  status=ok
  if [[ -z $complete ]]; then
    status=ab_error; bad=1
    echo "$PROG: ab failed for Host: $host $BASE_URL$ep (exit $(cat "$work/$j.rc")): $(tail -n 3 "$work/$j.err" | tr '\n' ' ')" >&2
    complete=0; failed=${failed:-0}
  fi
  failed=${failed:-0}; non2xx=${non2xx:-0}
  accepted=$((complete - failed - non2xx)); (( accepted >= 0 )) || accepted=0
  if [[ $status == ok ]] && (( failed > 0 )); then status=inexact; fi
  (( failed == 0 && non2xx == 0 )) || warn=1
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$host" "$ep" "$(event_type "$ep")" \
    "$complete" "$failed" "$non2xx" "$accepted" "$status" >>"$tsv"
done

echo
awk -F'\t' '
  NR == 1 { printf "%-22s %-50s %-15s %9s %7s %8s %9s  %s\n", $1, $2, $3, "complete", "failed", "non-2xx", $7, $8; next }
  { printf "%-22s %-50s %-15s %9d %7d %8d %9d  %s\n", $1, $2, $3, $4, $5, $6, $7, $8
    c += $4; f += $5; n += $6; a += $7; t[$3] += $7 }
  END {
    printf "%-22s %-50s %-15s %9d %7d %8d %9d\n", "TOTAL", "", "", c, f, n, a
    line = ""; for (k in t) line = line sprintf(" %s=%d", k, t[k]); print "accepted events by type:" line
  }' "$tsv"
if [[ $warn -eq 1 ]]; then
  echo "$PROG: some requests failed or were not 2xx; 'accepted' counts only complete 2xx requests" >&2
fi
if [[ -n $TALLY ]]; then
  mkdir -p "$(dirname "$TALLY")"
  cp "$tsv" "$TALLY"
  echo "tally: $TALLY"
fi
exit "$bad"
