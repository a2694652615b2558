package dev.plumb.resources;

import dev.plumb.system.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One GET of a pinned file, streamed to where it goes and hashed on the way: at most {@code maxSize} bytes, within
 * {@code timeout} from the request to the last byte, following at most five redirects and never one from https to
 * http (the JDK client's {@link HttpClient.Redirect#NORMAL}). Only a body whose SHA-256 is {@code sha256} is
 * accepted: any failure throws {@link Failed} from inside the write, so the caller's temporary file never goes live.
 */
record Download(URI url, String sha256, long maxSize, Duration timeout) {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final int BUFFER = 64 * 1024;
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();

    /** Why a download was not accepted, in words for the resource's failure. */
    static final class Failed extends IOException {
        Failed(String message) {
            super(message);
        }
    }

    /** Writes the body to {@code out} once the server answered 200; throws {@link Failed} on any other outcome. */
    void writeTo(OutputStream out) throws IOException {
        long started = System.nanoTime();
        HttpResponse<InputStream> response = send();
        AtomicBoolean timedOut = new AtomicBoolean();
        try (InputStream body = response.body()) {
            requireSuccess(response);
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (length > maxSize) {
                throw tooLarge(length + " bytes");
            }
            // A stalled server would block a read for ever: the deadline closes the stream, which ends the read.
            CompletableFuture<Void> deadline = new CompletableFuture<>();
            long left = Math.max(1, timeout.minusNanos(System.nanoTime() - started).toMillis());
            deadline.orTimeout(left, TimeUnit.MILLISECONDS).exceptionally(e -> {
                timedOut.set(true);
                closeQuietly(body);
                return null;
            });
            try {
                copy(body, out);
            } catch (IOException e) {
                if (timedOut.get()) {
                    throw new Failed(url + " did not finish downloading within " + seconds(timeout)
                            + "; raise timeout if the file is that slow to come");
                }
                throw e instanceof Failed ? e : new Failed("downloading " + url + " failed: " + e.getMessage());
            } finally {
                deadline.complete(null);
            }
        }
    }

    private HttpResponse<InputStream> send() throws IOException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("User-Agent", "plumb").GET().build();
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new Failed("cannot connect to " + url.getHost() + " within " + seconds(CONNECT_TIMEOUT));
        } catch (HttpTimeoutException e) {
            throw new Failed("no answer from " + url + " within " + seconds(timeout));
        } catch (ConnectException e) {
            throw new Failed("cannot connect to " + url.getHost() + ": " + (e.getMessage() == null ? "connection refused"
                    : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download of " + url + " interrupted");
        } catch (IOException e) {
            throw new Failed("request to " + url + " failed: " + e);
        }
    }

    private void requireSuccess(HttpResponse<InputStream> response) throws Failed {
        int status = response.statusCode();
        if (status / 100 == 3) {
            String location = response.headers().firstValue("Location").orElse("(no Location)");
            throw new Failed(response.uri() + " redirected (HTTP " + status + ") to " + location + ", which plumb does "
                    + "not follow: a redirect from https to http, or more than five; give the final https URL");
        }
        if (status != 200) {
            throw new Failed(response.uri() + " answered HTTP " + status + ", expected 200");
        }
    }

    /** Copies the body, counting and hashing it; the hash must be the pinned one before the caller may keep it. */
    private void copy(InputStream body, OutputStream out) throws IOException {
        MessageDigest digest = Hashing.newDigest();
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        for (int read = body.read(buffer); read >= 0; read = body.read(buffer)) {
            total += read;
            if (total > maxSize) {
                throw tooLarge("more than " + maxSize + " bytes");
            }
            digest.update(buffer, 0, read);
            out.write(buffer, 0, read);
        }
        String actual = Hashing.hex(digest);
        if (!actual.equals(sha256)) {
            throw new Failed("sha256 mismatch for " + url + ": expected " + sha256 + ", got " + actual + " (" + total
                    + " bytes); the download was discarded and nothing was changed");
        }
    }

    private Failed tooLarge(String size) {
        return new Failed(url + " is " + size + ", larger than max_size (" + maxSize + " bytes); raise max_size if "
                + "that is expected");
    }

    private static String seconds(Duration duration) {
        return duration.toSeconds() + " s";
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // The read it interrupts reports the failure.
        }
    }
}
