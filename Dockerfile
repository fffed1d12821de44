# Production image: build the SPA, then the Python app that serves it.
FROM node:20-bookworm-slim AS spa
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm AS app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    CAUSERIE_ENV=production CAUSERIE_SPA_DIR=/app/frontend/dist CAUSERIE_DATA_DIR=/data
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY backend/ backend/
COPY migrations/ migrations/
RUN pip install --no-cache-dir -e . && useradd --system --home /data causerie \
    && mkdir -p /data && chown causerie /data
COPY --from=spa /src/frontend/dist /app/frontend/dist
USER causerie
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health').status != 200)"
CMD ["causerie", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
