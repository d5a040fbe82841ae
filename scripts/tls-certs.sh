#!/usr/bin/env bash
# Makes a throwaway PKI for the TLS tests with openssl, in DIR (default .peers/tls):
#
#   ca.pem ca.key                 the test CA (trusted by clients and servers)
#   other-ca.pem                  a CA nobody's certificate is signed by ("wrong CA")
#   server.pem server.key         server certificate for 127.0.0.1, localhost, broker.test
#   server-expired.pem/.key       the same names, valid for one day in 2020
#   server-wrong-name.pem/.key    a server certificate naming elsewhere.test only
#   client.pem client.key         client certificate, CN=oslo-rx-client (mutual TLS, EXTERNAL)
#   client-encrypted.key          client.key encrypted with the password in client-key-password
#   client-key-password           that password
#
# Keys are RSA 2048. Everything is made once; delete DIR to make it anew.
# Usage: scripts/tls-certs.sh [DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${1:-$ROOT/.peers/tls}"
[[ -s "$DIR/done" ]] && exit 0
command -v openssl >/dev/null || { echo "tls-certs: openssl is missing (apt-get install -y openssl)" >&2; exit 1; }
rm -rf "$DIR.tmp"
mkdir -p "$DIR.tmp"
cd "$DIR.tmp"

key() { openssl genrsa -out "$1" 2048 2>/dev/null; }
subject_ca() {
  key "$1.key"
  openssl req -x509 -new -key "$1.key" -sha256 -days 3650 -subj "/CN=$2" -out "$1.pem" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
}
subject_ca ca 'oslo-rx test CA'
subject_ca other-ca 'oslo-rx other CA'

# A minimal `openssl ca` setup: it is the one openssl 3.0 command that sets any validity dates.
mkdir -p ca-db
: >ca-db/index.txt
echo 1000 >ca-db/serial
cat >ca.cnf <<CNF
[ca]
default_ca = test_ca
[test_ca]
database = ca-db/index.txt
serial = ca-db/serial
new_certs_dir = ca-db
certificate = ca.pem
private_key = ca.key
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
[server]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = \$ENV::SAN
[client]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
CNF

# sign NAME CN EXTENSIONS SAN [START END]
sign() {
  local name=$1 cn=$2 ext=$3 san=$4 dates=()
  [[ $# -ge 6 ]] && dates=(-startdate "$5" -enddate "$6") || dates=(-days 3650)
  key "$name.key"
  openssl req -new -key "$name.key" -subj "/CN=$cn" -out "$name.csr"
  SAN="$san" openssl ca -batch -config ca.cnf -extensions "$ext" "${dates[@]}" -notext -in "$name.csr" -out "$name.pem" 2>/dev/null
  rm -f "$name.csr"
}
sign server 127.0.0.1 server 'IP:127.0.0.1,DNS:localhost,DNS:broker.test'
sign server-expired 127.0.0.1 server 'IP:127.0.0.1,DNS:localhost,DNS:broker.test' 20200101000000Z 20200102000000Z
sign server-wrong-name elsewhere.test server 'DNS:elsewhere.test'
SAN='DNS:unused' sign client oslo-rx-client client 'DNS:unused'

echo "throwaway-key-password" >client-key-password
openssl pkey -in client.key -aes256 -passout file:client-key-password -out client-encrypted.key
rm -rf ca-db ca.cnf
chmod 644 ./*.pem ./*.key client-key-password
date -u +%FT%TZ >done
cd ..
rm -rf "$DIR"
mv "$DIR.tmp" "$DIR"
