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
COPY app.py ./
RUN pip install --no-cache-dir . && useradd --create-home graphcap
USER graphcap
EXPOSE 8501
# Inside the container the app must listen on all interfaces so the published port reaches it;
# compose publishes it on the host's 127.0.0.1 only.
CMD ["sh", "-c", "graphcap sample --neo4j --if-empty; exec streamlit run app.py --server.address 0.0.0.0 --server.port 8501 --server.headless true --browser.gatherUsageStats false"]
