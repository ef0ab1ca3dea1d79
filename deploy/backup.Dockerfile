# The backup cron job's image (deploy/render.yaml): pg_dump of the same major version as Neon's PostgreSQL (17),
# gpg to encrypt, rclone to copy to EU object storage, curl for the heartbeat. Runs as a non-root user.
FROM postgres:17-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends gnupg rclone curl ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 backup-runner
COPY deploy/backup.sh deploy/rotate-backups.sh deploy/restore.sh /backup/
USER backup-runner
ENTRYPOINT []
CMD ["/backup/backup.sh"]
