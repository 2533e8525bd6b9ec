# Multi-stage: build the wheel and its locked dependencies, then a slim runtime as non-root.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml requirements.lock README.md ./
COPY awardbot ./awardbot
RUN pip install --no-cache-dir --upgrade pip \
 && pip wheel --no-cache-dir -c requirements.lock --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 awardbot
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER awardbot
WORKDIR /home/awardbot
# config.toml is mounted here; secrets come from AWARDBOT__* environment variables.
# checkpoints/: the audit checkpoints (audit.checkpoint_file), a volume of their own.
RUN mkdir -p /home/awardbot/checkpoints
VOLUME ["/home/awardbot/var", "/home/awardbot/checkpoints"]
EXPOSE 8443
ENTRYPOINT ["awardbot", "--config", "/home/awardbot/config.toml"]
CMD ["run"]
