#!/usr/bin/env bash
# Creates the git-ignored secrets docker-compose.yml needs: .env (random values) and deploy/local-secrets/
# (a signing key and a Data Protection certificate). Existing files are kept. Needs openssl.
set -euo pipefail
cd "$(dirname "$0")/.."

random() { openssl rand -base64 "$1" | tr -d '\n'; }

if [ ! -f .env ]; then
  sed -e "s|^POSTGRES_PASSWORD=.*|POSTGRES_PASSWORD=$(openssl rand -hex 24)|" \
      -e "s|^Ruum__Passwords__Pepper=.*|Ruum__Passwords__Pepper=$(random 48)|" \
      -e "s|^Ruum__Signing__EncryptionKey=.*|Ruum__Signing__EncryptionKey=$(random 32)|" \
      -e "s|^Ruum__Otp__HashingKey=.*|Ruum__Otp__HashingKey=$(random 48)|" \
      -e "s|^Ruum__Clients__SecretHashKey=.*|Ruum__Clients__SecretHashKey=$(random 48)|" \
      .env.example > .env
  chmod 600 .env
  echo "wrote .env"
fi

mkdir -p deploy/local-secrets
if [ ! -f deploy/local-secrets/signing-key.pem ]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out deploy/local-secrets/signing-key.pem 2>/dev/null
  echo "wrote deploy/local-secrets/signing-key.pem"
fi
if [ ! -f deploy/local-secrets/data-protection.pem ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 730 -subj "/CN=Ruum Identity Data Protection (local)" \
    -keyout deploy/local-secrets/data-protection.key -out deploy/local-secrets/data-protection.crt 2>/dev/null
  cat deploy/local-secrets/data-protection.crt deploy/local-secrets/data-protection.key > deploy/local-secrets/data-protection.pem
  rm deploy/local-secrets/data-protection.crt deploy/local-secrets/data-protection.key
  echo "wrote deploy/local-secrets/data-protection.pem"
fi
# Compose bind-mounts these into the container, where the server runs as a non-root user.
chmod 644 deploy/local-secrets/*.pem
