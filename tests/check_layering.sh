#!/bin/sh
# The folders of daemon/ include only the ones below them (ARCHITECTURE.md, "Libraries"), and
# the daemon's SQL is all in store/. Prints every line that breaks this; run from the top.
set -u
status=0
# $1: the folders checked; $2: the folders they must not include (an extended regex).
forbid() {
    for dir in $1; do
        if grep -rnE "#include \"($2)/" "daemon/$dir"; then
            status=1
        fi
    done
}
forbid base 'config|tag|rules|stories|signals|fetch|store|alerts|pages|schedule|service|web|cli'
forbid archive 'config|tag|rules|stories|signals|fetch|store|alerts|pages|schedule|service|web|cli'
forbid 'tag rules' 'config|stories|fetch|store|alerts|pages|schedule|service|web|cli'
forbid stories 'config|rules|fetch|store|alerts|pages|schedule|service|web|cli'
forbid signals 'config|tag|rules|stories|parsers|fetch|store|alerts|pages|schedule|service|web|cli'
forbid config 'fetch|store|alerts|pages|schedule|service|web|cli'
forbid 'fetch store' 'alerts|pages|schedule|service|web|cli'
forbid 'alerts pages schedule' 'service|web|cli'
# service/ and web/ are one layer, two processes: neither uses the other.
forbid service 'web|cli'
forbid web 'service|cli'
if grep -rnE '\.exec(_params|_prepared)?[01]?\(|pqxx::(work|nontransaction)\b' daemon \
    --include='*.cpp' --include='*.hpp' | grep -v '^daemon/store/'; then
    status=1
fi
exit "$status"
