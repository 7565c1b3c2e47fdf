# Two stages: build a wheel with its dependencies, then a slim runtime as a non-root user.
# The sandbox (packages/discord-sandbox) is a development tool: not copied, not installed.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cogs ./cogs
COPY config ./config
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_URL=sqlite+aiosqlite:////data/sigbot.sqlite3
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl \
    && rm -rf /wheels \
    && useradd --create-home --uid 10001 bot \
    && mkdir /data \
    && chown bot:bot /data
USER bot
WORKDIR /home/bot
VOLUME ["/data"]
HEALTHCHECK --interval=60s --timeout=20s --start-period=30s CMD ["python", "-m", "bot", "check"]
CMD ["python", "-m", "bot", "run"]
