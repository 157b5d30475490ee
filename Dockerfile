# Builds the SPA, then the server with the SPA embedded, into a small runtime image.
FROM node:20-bookworm-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
COPY openapi.yaml /src/openapi.yaml
RUN npm run build

FROM rust:1.95-bookworm AS api
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Cargo.toml Cargo.lock rustfmt.toml clippy.toml ./
COPY .cargo/ .cargo/
COPY api/ api/
COPY migrations/ migrations/
COPY --from=web /src/web/dist web/dist
RUN cargo build --release -p thanthien --locked

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/thanthien --create-home thanthien
COPY --from=api /src/target/release/thanthien /usr/local/bin/thanthien
USER thanthien
WORKDIR /var/lib/thanthien
ENV THANTHIEN__SERVER__BIND=0.0.0.0 \
    THANTHIEN__SERVER__DATA_DIR=/var/lib/thanthien \
    THANTHIEN__LOG__FORMAT=json
EXPOSE 8080
ENTRYPOINT ["thanthien"]
CMD ["serve"]
