#!/usr/bin/env bash
# Real PostgreSQL, Redis, MinIO, OpenSearch, Mailpit and an OpenID provider on loopback, for the test suite and CI.
#
#   scripts/services.sh up     [SERVICE...]   install what is missing, start, wait until ready
#   scripts/services.sh down   [SERVICE...]   stop what this services dir started
#   scripts/services.sh status [SERVICE...]   up/down per service; exit 1 if any is down
#   scripts/services.sh env                   print the export lines (also in $SOCIAL_SERVICES_DIR/env)
#
# SERVICE is any of: postgres redis minio opensearch mailpit oidc (default: all six).
# Everything a run writes lives under $SOCIAL_SERVICES_DIR (default <repo>/.services, git-ignored);
# built or downloaded binaries are cached in $SOCIAL_SERVICES_CACHE (default ~/.cache/social-services).
# Meant for root on Debian 12 without Docker (it may apt-get install and useradd); as another user it
# runs whatever is already installed. See docs/operations.md.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SERVICES_DIR=${SOCIAL_SERVICES_DIR:-$REPO_ROOT/.services}
CACHE_DIR=${SOCIAL_SERVICES_CACHE:-$HOME/.cache/social-services}

PG_PORT=${SOCIAL_SERVICES_PG_PORT:-54329}
REDIS_PORT=${SOCIAL_SERVICES_REDIS_PORT:-6390}
MINIO_PORT=${SOCIAL_SERVICES_MINIO_PORT:-9100}
MINIO_CONSOLE_PORT=${SOCIAL_SERVICES_MINIO_CONSOLE_PORT:-9101}
OS_PORT=${SOCIAL_SERVICES_OPENSEARCH_PORT:-9200}
MAILPIT_SMTP_PORT=${SOCIAL_SERVICES_MAILPIT_SMTP_PORT:-1025}
MAILPIT_HTTP_PORT=${SOCIAL_SERVICES_MAILPIT_HTTP_PORT:-8025}
MAILPIT_VERSION=v1.33.1
OIDC_PORT=${SOCIAL_SERVICES_OIDC_PORT:-9998}
OIDC_MODULE=github.com/zitadel/oidc/v3
OIDC_VERSION=v3.52.0
# The API tests' public URL (tests/api/test_oidc_flow.py): the provider accepts only this redirect.
OIDC_REDIRECT_URIS=http://social.test/api/v1/auth/oidc/local/callback,http://127.0.0.1:8000/api/v1/auth/oidc/local/callback
MINIO_USER=socialtest
MINIO_PASSWORD=socialtest-secret
read -r -a OS_VERSIONS <<<"${SOCIAL_SERVICES_OPENSEARCH_VERSION:-2.19.3 2.19.2 2.19.1 2.18.0}"
OS_USER=opensearch
PG_USER=postgres
OS_WAIT_S=180

ALL_SERVICES=(postgres redis minio opensearch mailpit oidc)

# --- small helpers --------------------------------------------------------------------------------

log() { printf '[%s] %s\n' "$1" "${*:2}"; }
die() { printf 'services.sh: %s\n' "$*" >&2; exit 1; }
now_ms() { date +%s%3N; }
elapsed() { local ms=$(($(now_ms) - $1)); printf '%d.%01ds' $((ms / 1000)) $((ms % 1000 / 100)); }
is_root() { [[ $EUID -eq 0 ]]; }

# Run a command as a service user (root) or as ourselves (anyone else), from a neutral directory.
as_user() {
    local user=$1; shift
    if is_root && [[ $user != root ]]; then
        (cd / && runuser -u "$user" -- "$@")
    else
        (cd / && "$@")
    fi
}

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

http_ok() { curl -fsS -o /dev/null --max-time "${2:-5}" "$1" 2>/dev/null; }

# A process that exists and is not a zombie (nothing may reap orphans in a container).
alive() {
    local state
    kill -0 "$1" 2>/dev/null || return 1
    state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
    [[ -n $state && $state != Z ]]
}

# A pid file's pid (first line), if that process is alive and its command line mentions $2.
live_pid() {
    local file=$1 pattern=$2 pid
    [[ -s $file ]] || return 1
    pid=$(head -n1 "$file")
    [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$pattern" || return 1
    printf '%s\n' "$pid"
}

# SIGTERM a pid, wait up to $2 seconds, then SIGKILL.
stop_pid() {
    local pid=$1 wait_s=${2:-30} i
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < wait_s * 10; i++)); do
        alive "$pid" || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

APT_UPDATED=0
apt_install() {
    is_root || die "missing $*; run as root (or install them) first"
    command -v apt-get >/dev/null || die "missing $* and no apt-get"
    if ((APT_UPDATED == 0)); then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 "$@" >/dev/null
}

# A directory the service user can own and reach: $SERVICES_DIR/<name>, or, when that user cannot
# traverse $SERVICES_DIR (e.g. it lives under a 0700 home), a folder under /var/lib/social-services
# linked from $SERVICES_DIR/<name>.
user_dir() {
    local name=$1 user=$2 target key
    target=$SERVICES_DIR/$name
    if [[ -L $target ]]; then
        target=$(readlink -f "$target")
    elif is_root && ! runuser -u "$user" -- test -x "$SERVICES_DIR" 2>/dev/null; then
        key=$(printf '%s' "$SERVICES_DIR" | sha1sum | cut -c1-12)
        mkdir -p /var/lib/social-services && chmod 755 /var/lib/social-services
        ln -sfn "/var/lib/social-services/$key/$name" "$SERVICES_DIR/$name"
        target=/var/lib/social-services/$key/$name
        mkdir -p "$(dirname "$target")" && chmod 755 "$(dirname "$target")"
    fi
    mkdir -p "$target"
    if is_root; then chown "$user:" "$target"; fi
    printf '%s\n' "$target"
}

ensure_system_user() {
    id -u "$1" >/dev/null 2>&1 && return 0
    is_root || die "user $1 is missing; run as root"
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$1"
}

# --- PostgreSQL -----------------------------------------------------------------------------------

pg_bin() {
    local initdb
    # shellcheck disable=SC2012 # fixed Debian layout, version-sorted
    initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n1)
    [[ -n $initdb ]] && dirname "$initdb"
}
pg_dir() { user_dir postgres "$PG_USER"; }

pg_install() { pg_bin >/dev/null || apt_install postgresql postgresql-contrib; }

# pgvector for the face search (SOCIAL_FACE_INDEX=auto uses it where migration 0025 enabled it):
# Debian's postgresql-<major>-pgvector when the release packages it (Debian 12 does not: the
# exact face search in core SQL serves there). Never fatal.
pg_vector_install() {
    local bin major
    bin=$(pg_bin) || return 0
    major=$(basename "$(dirname "$bin")")
    [[ -f /usr/share/postgresql/$major/extension/vector.control ]] && return 0
    is_root && command -v apt-get >/dev/null || return 0
    if ((APT_UPDATED == 0)); then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 0
        APT_UPDATED=1
    fi
    if apt-cache show "postgresql-$major-pgvector" >/dev/null 2>&1; then
        log postgres "installing postgresql-$major-pgvector"
        apt_install "postgresql-$major-pgvector" || log postgres "pgvector not installed"
    else
        log postgres "postgresql-$major-pgvector is not packaged here: exact face search"
    fi
}

pg_running() { live_pid "$SERVICES_DIR/postgres/data/postmaster.pid" postgres >/dev/null; }

pg_ready() { "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -d postgres -U postgres; }

pg_start() {
    local bin dir sock
    bin=$(pg_bin) || die "PostgreSQL is not installed"
    dir=$(pg_dir)
    if [[ ! -e $dir/data/PG_VERSION ]]; then
        rm -rf "$dir/data"
        as_user "$PG_USER" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
            --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { tail -n 20 "$dir/initdb.log" >&2; die "initdb failed (log: $dir/initdb.log)"; }
    fi
    # A postmaster killed hard can linger as a zombie, which PostgreSQL takes for a live server.
    if [[ -e $dir/data/postmaster.pid ]] && ! pg_running; then
        rm -f "$dir/data/postmaster.pid" "$dir"/run/.s.PGSQL.*
    fi
    # pg_stat_statements is loaded (not created) so a benchmark can see where PostgreSQL's time goes
    # (CREATE EXTENSION pg_stat_statements in its database); its cost per statement is negligible.
    # Unix sockets are limited to ~107 bytes of path: use one only when the path is short.
    sock=$dir/run
    if ((${#sock} > 90)); then sock=''; else as_user "$PG_USER" mkdir -p "$sock"; fi
    as_user "$PG_USER" "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start -o \
        "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='$sock' \
         -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 \
         -c shared_preload_libraries=pg_stat_statements" \
        >/dev/null || { tail -n 20 "$dir/postgres.log" >&2; die "PostgreSQL did not start (log: $dir/postgres.log)"; }
}

pg_wait() {
    local i
    for ((i = 0; i < 300; i++)); do pg_ready && return 0; sleep 0.1; done
    die "PostgreSQL is not accepting connections on 127.0.0.1:$PG_PORT"
}

pg_stop() {
    pg_running || return 0
    as_user "$PG_USER" "$(pg_bin)/pg_ctl" -D "$(readlink -f "$SERVICES_DIR/postgres")/data" \
        -m fast -w -t 60 stop >/dev/null
}

pg_probe() { pg_bin >/dev/null && pg_ready; }
pg_where() { echo "postgresql://postgres@127.0.0.1:$PG_PORT/postgres"; }

# --- Redis ----------------------------------------------------------------------------------------

redis_pidfile() { echo "$SERVICES_DIR/redis/redis.pid"; }
redis_install() { command -v redis-server >/dev/null || apt_install redis-server; }
redis_running() { live_pid "$(redis_pidfile)" redis-server >/dev/null; }

redis_ping() {
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$REDIS_PORT && printf 'PING\r\n' >&3 \
        && read -r reply <&3 && [[ \$reply == +PONG* ]]" 2>/dev/null
}

redis_start() {
    local dir=$SERVICES_DIR/redis
    mkdir -p "$dir"
    rm -f "$dir/redis.pid"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
        --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
}

redis_wait() {
    local i
    for ((i = 0; i < 100; i++)); do redis_ping && return 0; sleep 0.1; done
    tail -n 20 "$SERVICES_DIR/redis/redis.log" >&2 || true
    die "Redis is not answering on 127.0.0.1:$REDIS_PORT"
}

redis_stop() {
    local pid
    pid=$(live_pid "$(redis_pidfile)" redis-server) || return 0
    stop_pid "$pid" 30
    rm -f "$(redis_pidfile)"
}

redis_probe() { redis_ping; }
redis_where() { echo "redis://127.0.0.1:$REDIS_PORT/0"; }

# --- MinIO ----------------------------------------------------------------------------------------

minio_bin() { echo "$CACHE_DIR/bin/minio"; }
minio_pidfile() { echo "$SERVICES_DIR/minio/minio.pid"; }

minio_install() {
    [[ -x $(minio_bin) ]] && return 0
    local go tmp
    go=$(command -v go || echo /usr/local/go/bin/go)
    [[ -x $go ]] || die "MinIO is not built and Go is missing (needed: $(minio_bin))"
    mkdir -p "$CACHE_DIR/bin"
    # One build at a time per cache; a second caller waits for the first one's binary.
    exec 8>"$CACHE_DIR/.minio-build.lock"
    flock 8
    if [[ ! -x $(minio_bin) ]]; then
        log minio "building github.com/minio/minio@latest with $("$go" version | cut -d' ' -f3)" \
            "(several minutes the first time; log: $CACHE_DIR/minio-build.log)"
        tmp=$(mktemp -d "$CACHE_DIR/bin.XXXXXX")
        GOBIN=$tmp "$go" install github.com/minio/minio@latest >"$CACHE_DIR/minio-build.log" 2>&1 \
            || { rm -rf "$tmp"; tail -n 20 "$CACHE_DIR/minio-build.log" >&2; die "MinIO build failed"; }
        mv "$tmp/minio" "$(minio_bin)" && rm -rf "$tmp"
    fi
    exec 8>&-
}

minio_running() { live_pid "$(minio_pidfile)" minio >/dev/null; }
minio_ready() { http_ok "http://127.0.0.1:$MINIO_PORT/minio/health/ready" 2; }

minio_start() {
    local dir=$SERVICES_DIR/minio
    mkdir -p "$dir/data"
    rm -f "$dir/minio.pid"
    # New session, so the server outlives the caller's process group; the shell records its own
    # pid and then becomes minio.
    # shellcheck disable=SC2016 # expanded by the inner shell
    MINIO_ROOT_USER=$MINIO_USER MINIO_ROOT_PASSWORD=$MINIO_PASSWORD MINIO_UPDATE=off \
        setsid -f nohup bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$dir/minio.pid" \
        "$(minio_bin)" server "$dir/data" --quiet --address "127.0.0.1:$MINIO_PORT" \
        --console-address "127.0.0.1:$MINIO_CONSOLE_PORT" >"$dir/minio.log" 2>&1 </dev/null
}

minio_wait() {
    local i
    for ((i = 0; i < 600; i++)); do
        minio_ready && return 0
        if ((i > 10)) && ! minio_running; then break; fi
        sleep 0.1
    done
    tail -n 20 "$SERVICES_DIR/minio/minio.log" >&2 || true
    die "MinIO is not ready on 127.0.0.1:$MINIO_PORT"
}

minio_stop() {
    local pid
    pid=$(live_pid "$(minio_pidfile)" minio) || return 0
    stop_pid "$pid" 30
    rm -f "$(minio_pidfile)"
}

minio_probe() { minio_ready; }
minio_where() { echo "http://127.0.0.1:$MINIO_PORT (console http://127.0.0.1:$MINIO_CONSOLE_PORT, $MINIO_USER/$MINIO_PASSWORD)"; }

# --- OpenSearch -----------------------------------------------------------------------------------

os_dir() { user_dir opensearch "$OS_USER"; }
os_pidfile() { echo "$SERVICES_DIR/opensearch/opensearch.pid"; }

# The integ-test distribution zip (no plugins, no security) from the local Maven repository,
# fetched from Maven Central when missing. Prints "VERSION ZIP".
os_zip() {
    local m2=${MAVEN_REPO_LOCAL:-$HOME/.m2/repository} v zip
    for v in "${OS_VERSIONS[@]}"; do
        zip=$m2/org/opensearch/distribution/integ-test-zip/opensearch/$v/opensearch-$v.zip
        if [[ ! -s $zip ]] && command -v mvn >/dev/null; then
            log opensearch "fetching opensearch $v integ-test zip with Maven" >&2
            mvn -q -B dependency:get -Dtransitive=false \
                -Dartifact="org.opensearch.distribution.integ-test-zip:opensearch:$v:zip" >&2 || true
        fi
        if [[ ! -s $zip ]]; then
            zip=$CACHE_DIR/opensearch-$v.zip
            if [[ ! -s $zip ]] && curl -fsSL --retry 2 -o "$zip.part" \
                "https://repo1.maven.org/maven2/org/opensearch/distribution/integ-test-zip/opensearch/$v/opensearch-$v.zip"; then
                mv "$zip.part" "$zip"
            fi
            rm -f "$zip.part"
        fi
        if [[ -s $zip ]]; then echo "$v $zip"; return 0; fi
        log opensearch "opensearch $v is not available, trying the next version" >&2
    done
    die "no OpenSearch integ-test zip among ${OS_VERSIONS[*]}"
}

# Where the unpacked distribution lives: the cache when the opensearch user can reach it, else the
# service's own folder (the user cannot traverse a 0700 home holding the default cache).
os_home_for() {
    local v=$1 base
    if ! is_root || runuser -u "$OS_USER" -- test -x "$CACHE_DIR" 2>/dev/null; then
        base=$CACHE_DIR
    else
        base=$(os_dir)
    fi
    echo "$base/opensearch-$v"
}

os_home() {
    local link=$SERVICES_DIR/opensearch/home
    [[ -L $link ]] && readlink -f "$link"
}

# The integ-test zip carries a single module (transport-netty4): no language analyzers, no
# search_as_you_type, no painless, no delete_by_query. Those modules are published on Maven Central
# as plain jars with POMs, so we add them the way the full distribution lays them out:
# NAME|ARTIFACT|PLUGIN CLASS|EXTENDED PLUGINS|SECURITY POLICY|DESCRIPTION
OS_MODULES=(
    'lang-painless|lang-painless|org.opensearch.painless.PainlessPlugin||painless|An easy, safe and fast scripting language for OpenSearch'
    'analysis-common|analysis-common|org.opensearch.analysis.common.CommonAnalysisPlugin|lang-painless||Adds "built in" analyzers to OpenSearch.'
    'mapper-extras|mapper-extras-client|org.opensearch.index.mapper.MapperExtrasPlugin|||Adds advanced field mappers'
    'reindex|reindex-client|org.opensearch.index.reindex.ReindexPlugin||reindex|The Reindex module adds APIs to reindex from one index to another or update documents in place.'
    'parent-join|parent-join-client|org.opensearch.join.ParentJoinPlugin|||This module adds the support parent-child queries and aggregations'
    'aggs-matrix-stats|aggs-matrix-stats-client|org.opensearch.search.aggregations.matrix.MatrixAggregationPlugin|||Adds aggregations whose input are a list of numeric fields and output includes a matrix.'
)

# shellcheck disable=SC2016 # ${codebase.…} is expanded by OpenSearch, not by bash
os_module_policy() {
    case $1 in
        painless) printf '%s\n' 'grant {' \
            '  permission java.lang.RuntimePermission "createClassLoader";' \
            '  permission java.lang.RuntimePermission "getClassLoader";' '};' ;;
        reindex) printf '%s\n' 'grant {' '  permission java.net.SocketPermission "*", "connect";' '};' \
            'grant codeBase "${codebase.opensearch-rest-client}" {' \
            '  permission java.net.NetPermission "getProxySelector";' '};' \
            'grant codeBase "${codebase.httpasyncclient}" {' \
            '  permission java.net.NetPermission "getProxySelector";' '};' ;;
    esac
}

# One module: its jar and runtime dependencies minus what the server already has in lib/.
os_build_module() {
    local v=$1 lib=$2 out=$3 spec=$4 name artifact class extended policy description work jar base
    IFS='|' read -r name artifact class extended policy description <<<"$spec"
    work=$(mktemp -d)
    cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>social.services</groupId><artifactId>opensearch-$name</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies><dependency><groupId>org.opensearch.plugin</groupId><artifactId>$artifact</artifactId>
    <version>$v</version></dependency></dependencies>
</project>
POM
    mvn -q -B -f "$work/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
        -DoutputDirectory="$out/$name" >"$work/mvn.log" 2>&1 \
        || { tail -n 20 "$work/mvn.log" >&2; rm -rf "$work"; return 1; }
    rm -rf "$work"
    for jar in "$out/$name"/*.jar; do
        base=$(basename "$jar" .jar)
        base=${base%%-[0-9]*} # artifact name without its version
        if compgen -G "$lib/$base-[0-9]*.jar" >/dev/null; then rm -f "$jar"; fi
    done
    cat >"$out/$name/plugin-descriptor.properties" <<PROPS
description=$description
version=$v
name=$name
classname=$class
java.version=11
opensearch.version=$v
custom.foldername=
extended.plugins=$extended
has.native.controller=false
PROPS
    if [[ -n $policy ]]; then os_module_policy "$policy" >"$out/$name/plugin-security.policy"; fi
}

# Build the module set once per version into the cache (Maven fetches the jars the first time).
os_modules() {
    local v=$1 lib=$2 out=$CACHE_DIR/opensearch-$1-modules tmp spec builders=() pid
    if [[ -e $out/.complete ]]; then echo "$out"; return 0; fi
    command -v mvn >/dev/null || apt_install maven
    log opensearch "adding modules ${OS_MODULES[*]%%|*} (jars from Maven Central)" >&2
    mkdir -p "$CACHE_DIR"
    tmp=$(mktemp -d "$CACHE_DIR/modules.XXXXXX")
    for spec in "${OS_MODULES[@]}"; do
        os_build_module "$v" "$lib" "$tmp" "$spec" &
        builders+=("$!")
    done
    for pid in "${builders[@]}"; do
        wait "$pid" || { rm -rf "$tmp"; die "could not assemble the OpenSearch modules"; }
    done
    touch "$tmp/.complete"
    rm -rf "$out" && mv "$tmp" "$out"
    echo "$out"
}

os_install() {
    command -v java >/dev/null || apt_install openjdk-17-jre-headless
    command -v unzip >/dev/null || apt_install unzip
    ensure_system_user "$OS_USER"
    local home v zip tmp modules
    home=$(os_home) || true
    if [[ -z $home || ! -x $home/bin/opensearch ]]; then
        read -r v zip < <(os_zip)
        home=$(os_home_for "$v")
        mkdir -p "$CACHE_DIR"
        if [[ ! -x $home/bin/opensearch ]]; then
            mkdir -p "$(dirname "$home")"
            tmp=$(mktemp -d "$(dirname "$home")/unzip.XXXXXX")
            unzip -q "$zip" -d "$tmp"
            rm -rf "$home"
            mv "$tmp/opensearch-$v" "$home" && rm -rf "$tmp"
        fi
        ln -sfn "$home" "$(os_dir)/home"
    fi
    if [[ ! -e $home/modules/.social-modules ]]; then
        v=${home##*/opensearch-}
        modules=$(os_modules "$v" "$home/lib")
        cp -a "$modules"/*/ "$home/modules/"
        touch "$home/modules/.social-modules"
    fi
    if is_root; then chown -R "$OS_USER:" "$home"; fi
}

os_running() { live_pid "$(os_pidfile)" opensearch >/dev/null; }
os_ready() { http_ok "http://127.0.0.1:$OS_PORT/_cluster/health?wait_for_status=yellow&timeout=1s" 3; }

os_start() {
    local dir home java_home
    dir=$(os_dir)
    home=$(os_home) || die "OpenSearch is not installed"
    java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    as_user "$OS_USER" mkdir -p "$dir/data" "$dir/logs"
    rm -f "$dir/opensearch.pid"
    # -d backgrounds the JVM and returns at once; setsid detaches it from our process group.
    as_user "$OS_USER" env OPENSEARCH_JAVA_HOME="$java_home" \
        OPENSEARCH_JAVA_OPTS="-Xms512m -Xmx512m" \
        setsid -w "$home/bin/opensearch" -d -p "$dir/opensearch.pid" \
        -Ecluster.name=social-test -Enode.name=social-test \
        -Ediscovery.type=single-node -Enetwork.host=127.0.0.1 -Ehttp.port="$OS_PORT" \
        -Epath.data="$dir/data" -Epath.logs="$dir/logs" \
        -Ecluster.routing.allocation.disk.threshold_enabled=false \
        >"$dir/start.log" 2>&1 </dev/null \
        || { tail -n 20 "$dir/start.log" >&2; die "OpenSearch did not start (logs: $dir/logs)"; }
}

# The JVM writes its pid file a moment after bin/opensearch -d returns: until then, look for the
# process by its (unique) data path.
os_alive() {
    os_running || pgrep -f -- "-Epath.data=$(readlink -f "$SERVICES_DIR/opensearch")/data" >/dev/null
}

os_wait() {
    local deadline=$((SECONDS + OS_WAIT_S)) dir
    while ((SECONDS < deadline)); do
        os_ready && return 0
        os_alive || break
        sleep 0.5
    done
    dir=$(readlink -f "$SERVICES_DIR/opensearch")
    tail -n 30 "$dir/start.log" "$dir/logs/social-test.log" 2>/dev/null >&2 || true
    die "OpenSearch is not ready on 127.0.0.1:$OS_PORT (logs: $dir/logs)"
}

os_stop() {
    local pid
    pid=$(live_pid "$(os_pidfile)" opensearch) || return 0
    stop_pid "$pid" 60
    rm -f "$(os_pidfile)"
}

os_probe() { http_ok "http://127.0.0.1:$OS_PORT/" 2; }
os_where() { echo "http://127.0.0.1:$OS_PORT"; }

# --- Mailpit (a local SMTP server that keeps every message; tests read them over HTTP) ---------------

# Named after its version: go install stamps no version into the binary, and a bump rebuilds.
mailpit_bin() { echo "$CACHE_DIR/bin/mailpit-$MAILPIT_VERSION"; }
mailpit_pidfile() { echo "$SERVICES_DIR/mailpit/mailpit.pid"; }

mailpit_install() {
    [[ -x $(mailpit_bin) ]] && return 0
    local go tmp
    go=$(command -v go || echo /usr/local/go/bin/go)
    [[ -x $go ]] || die "Mailpit is not built and Go is missing (needed: $(mailpit_bin))"
    mkdir -p "$CACHE_DIR/bin"
    exec 7>"$CACHE_DIR/.mailpit-build.lock"
    flock 7
    if [[ ! -x $(mailpit_bin) ]]; then
        log mailpit "building github.com/axllent/mailpit@$MAILPIT_VERSION with $("$go" version | cut -d' ' -f3)" \
            "(a minute or two the first time; log: $CACHE_DIR/mailpit-build.log)"
        tmp=$(mktemp -d "$CACHE_DIR/bin.XXXXXX")
        GOBIN=$tmp "$go" install "github.com/axllent/mailpit@$MAILPIT_VERSION" \
            >"$CACHE_DIR/mailpit-build.log" 2>&1 \
            || { rm -rf "$tmp"; tail -n 20 "$CACHE_DIR/mailpit-build.log" >&2; die "Mailpit build failed"; }
        mv "$tmp/mailpit" "$(mailpit_bin)" && rm -rf "$tmp"
    fi
    exec 7>&-
}

mailpit_running() { live_pid "$(mailpit_pidfile)" mailpit >/dev/null; }
mailpit_ready() {
    http_ok "http://127.0.0.1:$MAILPIT_HTTP_PORT/readyz" 2 && port_open "$MAILPIT_SMTP_PORT"
}

mailpit_start() {
    local dir=$SERVICES_DIR/mailpit
    mkdir -p "$dir"
    rm -f "$dir/mailpit.pid" "$dir"/mailpit.db*  # every start begins with an empty mailbox
    # As for MinIO: a new session, the shell records its pid and becomes mailpit. No TLS and any
    # login accepted (tests send with SOCIAL_SMTP_SECURITY=none); at most 20000 messages kept.
    # shellcheck disable=SC2016 # expanded by the inner shell
    setsid -f nohup bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$dir/mailpit.pid" \
        "$(mailpit_bin)" --smtp "127.0.0.1:$MAILPIT_SMTP_PORT" --listen "127.0.0.1:$MAILPIT_HTTP_PORT" \
        --database "$dir/mailpit.db" --max 20000 --smtp-auth-accept-any --smtp-auth-allow-insecure \
        --smtp-disable-rdns --disable-version-check >"$dir/mailpit.log" 2>&1 </dev/null
}

mailpit_wait() {
    local i
    for ((i = 0; i < 300; i++)); do
        mailpit_ready && return 0
        if ((i > 10)) && ! mailpit_running; then break; fi
        sleep 0.1
    done
    tail -n 20 "$SERVICES_DIR/mailpit/mailpit.log" >&2 || true
    die "Mailpit is not ready on 127.0.0.1:$MAILPIT_SMTP_PORT (HTTP $MAILPIT_HTTP_PORT)"
}

mailpit_stop() {
    local pid
    pid=$(live_pid "$(mailpit_pidfile)" mailpit) || return 0
    stop_pid "$pid" 30
    rm -f "$(mailpit_pidfile)"
}

mailpit_probe() { mailpit_ready; }
mailpit_where() { echo "smtp://127.0.0.1:$MAILPIT_SMTP_PORT (API and web UI http://127.0.0.1:$MAILPIT_HTTP_PORT)"; }

# --- OpenID provider (zitadel/oidc's example server: in-memory, test users, a login form) ---------

oidc_bin() { echo "$CACHE_DIR/bin/oidc-provider-$OIDC_VERSION"; }
oidc_pidfile() { echo "$SERVICES_DIR/oidc/oidc.pid"; }

oidc_install() {
    [[ -x $(oidc_bin) ]] && return 0
    local go tmp
    go=$(command -v go || echo /usr/local/go/bin/go)
    [[ -x $go ]] || die "the OpenID provider is not built and Go is missing (needed: $(oidc_bin))"
    mkdir -p "$CACHE_DIR/bin"
    exec 6>"$CACHE_DIR/.oidc-build.lock"
    flock 6
    if [[ ! -x $(oidc_bin) ]]; then
        log oidc "building $OIDC_MODULE/example/server@$OIDC_VERSION (log: $CACHE_DIR/oidc-build.log)"
        tmp=$(mktemp -d "$CACHE_DIR/bin.XXXXXX")
        GOBIN=$tmp GOFLAGS=-mod=mod "$go" install "$OIDC_MODULE/example/server@$OIDC_VERSION" \
            >"$CACHE_DIR/oidc-build.log" 2>&1 \
            || { rm -rf "$tmp"; tail -n 20 "$CACHE_DIR/oidc-build.log" >&2; die "OpenID provider build failed"; }
        mv "$tmp/server" "$(oidc_bin)" && rm -rf "$tmp"
    fi
    exec 6>&-
}

# The test users (the provider's USERS_FILE): password "oidc-test-password" for all three;
# ada's and ben's addresses are verified by the provider, cy's is not.
oidc_users() {
    local user json='' sep=''
    for user in ada:true ben:true cy:false; do
        json+="$sep\"${user%%:*}\": {\"ID\": \"${user%%:*}\", \"Username\": \"${user%%:*}\","
        json+=" \"Password\": \"oidc-test-password\", \"FirstName\": \"${user%%:*}\", \"LastName\": \"Test\","
        json+=" \"Email\": \"${user%%:*}@oidc.test\", \"EmailVerified\": ${user##*:}, \"PreferredLanguage\": \"en\"}"
        sep=', '
    done
    printf '{%s}\n' "$json"
}

oidc_running() { live_pid "$(oidc_pidfile)" oidc-provider >/dev/null; }
oidc_ready() { http_ok "http://localhost:$OIDC_PORT/.well-known/openid-configuration" 2; }

oidc_start() {
    local dir=$SERVICES_DIR/oidc
    mkdir -p "$dir"
    rm -f "$dir/oidc.pid"
    oidc_users >"$dir/users.json"
    # shellcheck disable=SC2016 # expanded by the inner shell
    PORT=$OIDC_PORT USERS_FILE=$dir/users.json REDIRECT_URI=$OIDC_REDIRECT_URIS \
        setsid -f nohup bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$dir/oidc.pid" \
        "$(oidc_bin)" >"$dir/oidc.log" 2>&1 </dev/null
}

oidc_wait() {
    local i
    for ((i = 0; i < 300; i++)); do
        oidc_ready && return 0
        if ((i > 10)) && ! oidc_running; then break; fi
        sleep 0.1
    done
    tail -n 20 "$SERVICES_DIR/oidc/oidc.log" >&2 || true
    die "the OpenID provider is not ready on localhost:$OIDC_PORT"
}

oidc_stop() {
    local pid
    pid=$(live_pid "$(oidc_pidfile)" oidc-provider) || return 0
    stop_pid "$pid" 30
    rm -f "$(oidc_pidfile)"
}

oidc_probe() { oidc_ready; }
oidc_where() { echo "issuer http://localhost:$OIDC_PORT/ (client web/secret; users ada, ben, cy)"; }

# --- dispatch -------------------------------------------------------------------------------------

fn() { # fn SERVICE ACTION -> function name
    case $1 in
        postgres) echo "pg_$2" ;; redis) echo "redis_$2" ;;
        minio) echo "minio_$2" ;; opensearch) echo "os_$2" ;;
        mailpit) echo "mailpit_$2" ;;
        oidc) echo "oidc_$2" ;;
    esac
}

svc_port() {
    case $1 in
        postgres) echo "$PG_PORT" ;; redis) echo "$REDIS_PORT" ;;
        minio) echo "$MINIO_PORT" ;; opensearch) echo "$OS_PORT" ;;
        mailpit) echo "$MAILPIT_SMTP_PORT" ;;
        oidc) echo "$OIDC_PORT" ;;
    esac
}

# Install, start and wait for one service; prints one line with the outcome and the time taken.
svc_up() {
    local svc=$1 t0 how
    t0=$(now_ms)
    if "$(fn "$svc" running)"; then
        how="already running"
    elif port_open "$(svc_port "$svc")"; then
        if "$(fn "$svc" probe)"; then
            log "$svc" "port $(svc_port "$svc") already serves $svc, not started from $SERVICES_DIR: using it"
            return 0
        fi
        die "$svc: port $(svc_port "$svc") is taken by another program"
    else
        "$(fn "$svc" install)"
        "$(fn "$svc" start)"
        how="started"
    fi
    "$(fn "$svc" wait)"
    log "$svc" "$how, ready in $(elapsed "$t0"): $("$(fn "$svc" where)")"
}

write_env() {
    cat >"$SERVICES_DIR/env" <<EOF
export SOCIAL_TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:$PG_PORT/postgres
export SOCIAL_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export SOCIAL_TEST_S3_ENDPOINT=127.0.0.1:$MINIO_PORT
export SOCIAL_TEST_S3_ACCESS_KEY=$MINIO_USER
export SOCIAL_TEST_S3_SECRET_KEY=$MINIO_PASSWORD
export SOCIAL_TEST_OPENSEARCH_URL=http://127.0.0.1:$OS_PORT
export SOCIAL_TEST_SMTP_HOST=127.0.0.1
export SOCIAL_TEST_SMTP_PORT=$MAILPIT_SMTP_PORT
export SOCIAL_TEST_MAILPIT_URL=http://127.0.0.1:$MAILPIT_HTTP_PORT
export SOCIAL_TEST_OIDC_ISSUER=http://localhost:$OIDC_PORT/
EOF
}

lock_services_dir() {
    mkdir -p "$SERVICES_DIR" "$CACHE_DIR"
    chmod 755 "$SERVICES_DIR" 2>/dev/null || true
    SERVICES_DIR=$(cd "$SERVICES_DIR" && pwd)
    CACHE_DIR=$(cd "$CACHE_DIR" && pwd)
    exec 9>"$SERVICES_DIR/.lock"
    flock -w 600 9 || die "another services.sh holds $SERVICES_DIR/.lock"
}

# Run one function per service in parallel (fd 9, the lock, is not passed on to the servers);
# fail if any failed.
in_parallel() {
    local action=$1; shift
    local -A pids=()
    local svc failed=()
    for svc in "$@"; do
        ( exec 9>&-; "$action" "$svc" ) &
        pids[$svc]=$!
    done
    for svc in "$@"; do
        wait "${pids[$svc]}" || failed+=("$svc")
    done
    ((${#failed[@]} == 0)) || die "failed: ${failed[*]}"
}

cmd_up() {
    local t0 packages=()
    t0=$(now_ms)
    lock_services_dir
    # apt first, in one go (dpkg takes one caller at a time); the rest runs per service in parallel.
    if [[ " $* " == *" postgres "* ]] && ! pg_bin >/dev/null; then packages+=(postgresql postgresql-contrib); fi
    if [[ " $* " == *" redis "* ]] && ! command -v redis-server >/dev/null; then packages+=(redis-server); fi
    if [[ " $* " == *" opensearch "* ]]; then
        command -v java >/dev/null || packages+=(openjdk-17-jre-headless)
        command -v unzip >/dev/null || packages+=(unzip)
    fi
    command -v curl >/dev/null || packages+=(curl)
    # nginx: only a binary for benchmarks/scale_out.py and tests/scale/, which start it with a
    # config of their own; where Debian's package starts its own server (systemd), it is
    # stopped and disabled again.
    if ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]] && is_root; then packages+=(nginx-light); fi
    if ((${#packages[@]})); then
        log apt "installing ${packages[*]}"
        apt_install "${packages[@]}"
        if [[ " ${packages[*]} " == *" nginx-light "* ]] && command -v systemctl >/dev/null; then
            systemctl disable --now nginx >/dev/null 2>&1 || true  # a binary here, not a service
        fi
    fi
    if [[ " $* " == *" postgres "* ]]; then pg_vector_install; fi
    write_env
    in_parallel svc_up "$@"
    log up "all ready in $(elapsed "$t0"); environment: $SERVICES_DIR/env"
}

svc_down() {
    local svc=$1
    if "$(fn "$svc" running)"; then
        "$(fn "$svc" stop)"
        log "$svc" "stopped"
    else
        log "$svc" "not running"
    fi
}

cmd_down() {
    [[ -d $SERVICES_DIR ]] || { log down "nothing to stop: no $SERVICES_DIR"; return 0; }
    lock_services_dir
    in_parallel svc_down "$@"
}

cmd_status() {
    local svc down=0
    for svc in "$@"; do
        if "$(fn "$svc" running)" && "$(fn "$svc" probe)"; then
            log "$svc" "up: $("$(fn "$svc" where)")"
        elif "$(fn "$svc" running)"; then
            log "$svc" "starting (process alive, not answering yet)"; down=1
        elif port_open "$(svc_port "$svc")" && "$(fn "$svc" probe)"; then
            log "$svc" "up (not started from $SERVICES_DIR): $("$(fn "$svc" where)")"
        else
            log "$svc" "down"; down=1
        fi
    done
    return "$down"
}

cmd_env() {
    mkdir -p "$SERVICES_DIR"
    write_env
    cat "$SERVICES_DIR/env"
}

main() {
    local cmd=${1:-}
    shift || true
    local services=() svc
    for svc in "$@"; do
        case $svc in
            postgres | postgresql | pg) services+=(postgres) ;;
            redis) services+=(redis) ;;
            minio | s3) services+=(minio) ;;
            opensearch | os) services+=(opensearch) ;;
            mailpit | mail | smtp) services+=(mailpit) ;;
            oidc | openid) services+=(oidc) ;;
            *) die "unknown service '$svc' (postgres, redis, minio, opensearch, mailpit, oidc)" ;;
        esac
    done
    ((${#services[@]})) || services=("${ALL_SERVICES[@]}")
    case $cmd in
        up) cmd_up "${services[@]}" ;;
        down) cmd_down "${services[@]}" ;;
        status) cmd_status "${services[@]}" ;;
        env) cmd_env ;;
        *) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; [[ $cmd == -h || $cmd == --help || $cmd == help ]] ;;
    esac
}

main "$@"
