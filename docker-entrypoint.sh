#!/bin/sh
# The start of the app container (Dockerfile CMD, docker-compose.yml). It refuses to serve
# without a login: GRAPHCAP_ADMIN_PASSWORD, [access.users.NAME] or OIDC ([auth] and
# [access.oidc]) in /app/.streamlit/secrets.toml (docs/TEAM.md) -- `graphcap check-login`
# exits non-zero and nothing starts. Then it loads the sample into an empty database and serves
# the app on all interfaces of the container (compose publishes the port on the host's
# 127.0.0.1 only). `graphcap app` serves the packaged app with the packaged Streamlit settings
# (the container's .streamlit folder holds only the secrets) and, once the server answers, warms
# it: the login form starts reading and analysing the data before the first user logs in.
set -e
graphcap check-login --secrets .streamlit/secrets.toml
graphcap sample --neo4j --if-empty || echo "graphcap: no sample loaded; serving the app anyway" >&2
exec graphcap app --address 0.0.0.0 --port 8501
