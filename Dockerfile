# The graphcap app for docker-compose.yml (Neo4j runs in its own container).
FROM python:3.11-slim
WORKDIR /app
# a CJK font so PNG/PDF exports draw Chinese and Japanese names (graphcap/export/_mpl.py)
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY graphcap ./graphcap
COPY loaders ./loaders
COPY queries ./queries
COPY app.py docker-entrypoint.sh ./
# the data folder exists owned by the user, so the compose volume mounted there is writable
RUN pip install --no-cache-dir . && useradd --create-home graphcap \
    && install -d -o graphcap -g graphcap -m 0700 /home/graphcap/data
USER graphcap
EXPOSE 8501
# docker-entrypoint.sh refuses to start without a login (GRAPHCAP_ADMIN_PASSWORD or users/OIDC
# in /app/.streamlit/secrets.toml), then serves on all interfaces of the container; compose
# publishes the port on the host's 127.0.0.1 only.
CMD ["sh", "docker-entrypoint.sh"]
