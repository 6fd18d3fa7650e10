#!/usr/bin/env bash
# Start PostgreSQL and MariaDB on 127.0.0.1 if they are installed but not
# running, then wait until both accept connections.
set -uo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432; }
maria_up() { mariadb-admin -h 127.0.0.1 -P 3306 -u root ping >/dev/null 2>&1; }

if command -v pg_ctlcluster >/dev/null && ! pg_up; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
fi
if [ -x /usr/sbin/mariadbd ] && ! maria_up; then
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
fi

for _ in $(seq 1 60); do
    if pg_up && maria_up; then
        exit 0
    fi
    sleep 1
done
echo "PostgreSQL or MariaDB did not start on 127.0.0.1" >&2
exit 1
