"""Fetch one model file over HTTPS on the target, resumably, and keep it only when its size and SHA-256 match.

Run by the harness (harness/engine/bitnet-cpp/download.ts) with the target's own python3: standard library only,
so it needs nothing but the network (no pip, no huggingface-cli). Usage:

    python3 fetch_model.py URL DEST BYTES SHA256

HF_TOKEN, when set in the environment, is sent as a bearer token to the first host only (Hugging Face redirects
file downloads to a CDN with signed URLs, which reject a second credential). The bytes go to DEST.part and are
resumed from there with an HTTP Range request, after a dropped connection or a killed run alike. DEST appears
only once the whole file matched; DEST.verified then records what was checked, so a rerun does not hash 1.2 GB
again. Progress goes to stderr, one line at a time; the last stdout line is `fetch-model: downloaded` or
`fetch-model: already verified`. Exit codes: 0 done, 2 usage, 3 HTTP error (the message names the URL),
4 the file never matched its checksum, 5 the connection kept failing.
"""

import hashlib
import http.client
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

CHUNK = 1 << 20
ATTEMPTS = 5
MATCH_ATTEMPTS = 2
PROGRESS_SECONDS = float(os.environ.get("FETCH_MODEL_PROGRESS_SECONDS", "10"))


def log(message):
    print(f"fetch-model: {message}", file=sys.stderr, flush=True)


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def stamp_text(path, sha256):
    st = os.stat(path)
    return f"{st.st_size} {st.st_mtime_ns} {sha256}\n"


class HttpError(Exception):
    pass


class DropCredentialsAcrossHosts(urllib.request.HTTPRedirectHandler):
    """Follow redirects keeping Range, but send Authorization only to the host it was meant for."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and urllib.parse.urlsplit(newurl).netloc != urllib.parse.urlsplit(req.full_url).netloc:
            new.remove_header("Authorization")
        return new


def open_range(url, start, token):
    request = urllib.request.Request(url, headers={"User-Agent": "bitnet-coherence-bench"})
    if start:
        request.add_header("Range", f"bytes={start}-")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    opener = urllib.request.build_opener(DropCredentialsAcrossHosts)
    try:
        return opener.open(request, timeout=60)
    except urllib.error.HTTPError as error:
        if error.code == 416:
            return error
        hint = {401: " (set HF_TOKEN if the repository needs a login)", 403: " (set HF_TOKEN, or accept the model's terms on its page)", 404: " (check engine.modelRepo / engine.modelFile, and HF_ENDPOINT if set)"}.get(error.code, "")
        raise HttpError(f"HTTP {error.code} {error.reason} for {url}{hint}") from None


def fetch(url, part, expected_bytes, token):
    """Download into `part`, resuming what is there. Raises HttpError, or OSError after repeated drops."""
    failures = 0
    while True:
        start = os.path.getsize(part) if os.path.exists(part) else 0
        if start > expected_bytes:
            log(f"{part} has {start} bytes, more than the {expected_bytes} expected: starting over")
            os.remove(part)
            start = 0
        if start == expected_bytes:
            return
        try:
            response = open_range(url, start, token)
            status = getattr(response, "status", None) or response.getcode()
            if status == 416:
                # The server has nothing past `start`: what we hold is all there is (the size check decides).
                return
            if start and status != 206:
                log(f"the server ignored the Range request (HTTP {status}): starting over")
                start = 0
            elif start:
                log(f"resuming at byte {start} of {expected_bytes}")
            done = start
            last = time.monotonic()
            with response, open(part, "ab" if start else "wb") as out:
                while True:
                    block = response.read(CHUNK)
                    if not block:
                        break
                    out.write(block)
                    done += len(block)
                    now = time.monotonic()
                    if now - last >= PROGRESS_SECONDS:
                        log(f"{done / 2**20:.0f} of {expected_bytes / 2**20:.0f} MiB ({100 * done / expected_bytes:.0f} %)")
                        last = now
            if done < expected_bytes and done == os.path.getsize(part):
                raise OSError(f"the connection closed after {done} of {expected_bytes} bytes")
            return
        except HttpError:
            raise
        except (OSError, http.client.HTTPException) as error:
            failures += 1
            if failures >= ATTEMPTS:
                raise
            log(f"transfer interrupted ({error}); retrying in {failures} s")
            time.sleep(failures)


def main(argv):
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    url, dest, expected_bytes, expected_sha256 = argv[1], argv[2], int(argv[3]), argv[4].lower()
    part, stamp = dest + ".part", dest + ".verified"
    token = os.environ.get("HF_TOKEN") or None
    os.makedirs(os.path.dirname(os.path.abspath(dest)), exist_ok=True)

    if os.path.exists(dest):
        if os.path.exists(stamp) and open(stamp).read() == stamp_text(dest, expected_sha256):
            print("fetch-model: already verified")
            return 0
        size = os.path.getsize(dest)
        actual = sha256_of(dest) if size == expected_bytes else None
        if actual == expected_sha256:
            with open(stamp, "w") as f:
                f.write(stamp_text(dest, expected_sha256))
            print("fetch-model: already verified")
            return 0
        log(f"{dest} is not the expected file ({size} bytes, sha256 {actual or 'not computed'}; expected {expected_bytes} bytes, sha256 {expected_sha256}): fetching it again")
        os.remove(dest)
        if os.path.exists(stamp):
            os.remove(stamp)

    for attempt in range(1, MATCH_ATTEMPTS + 1):
        log(f"downloading {url} to {dest} ({expected_bytes / 2**20:.0f} MiB)")
        try:
            fetch(url, part, expected_bytes, token)
        except HttpError as error:
            log(str(error))
            return 3
        except (OSError, http.client.HTTPException) as error:
            log(f"could not download {url}: {error}")
            return 5
        size = os.path.getsize(part)
        actual = sha256_of(part) if size == expected_bytes else None
        if actual == expected_sha256:
            os.replace(part, dest)
            with open(stamp, "w") as f:
                f.write(stamp_text(dest, expected_sha256))
            log(f"{dest}: {size} bytes, sha256 {actual}: verified")
            print("fetch-model: downloaded")
            return 0
        log(f"download {attempt} of {MATCH_ATTEMPTS} does not match ({size} bytes, sha256 {actual or 'not computed'}; expected {expected_bytes} bytes, sha256 {expected_sha256}): deleted")
        os.remove(part)
    log(f"{url} never matched the expected size and SHA-256: nothing was kept")
    return 4


if __name__ == "__main__":
    sys.exit(main(sys.argv))
