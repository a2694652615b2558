package dev.plumb.checks;

import dev.plumb.api.Attribute;
import dev.plumb.api.Check;
import dev.plumb.api.CheckContext;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.Printable;
import dev.plumb.api.ResourceException;
import dev.plumb.api.Verdict;
import dev.plumb.resources.Rules;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLException;

/**
 * {@code http: URL} — an HTTP or HTTPS request, and what its answer must be. Certificates and host names are
 * verified unless {@code insecure} is true. Reads at most the first MiB of the body. {@code host_header} asks one
 * virtual host of a server by address, as {@code curl -H 'Host: shop.example'} does.
 */
public record HttpCheck(
        @Attribute(doc = "the URL to request, http or https") String url,
        @Attribute(doc = "the status code expected; default 200", defaultValue = "200") Integer status,
        @Attribute(doc = "text the body must contain") String bodyContains,
        @Attribute(doc = "a regular expression the body must match somewhere (^ and $ match at line ends)")
        String bodyMatches,
        @Attribute(doc = "header names, each with text its value must contain") Map<String, String> headers,
        @Attribute(doc = "GET (default), HEAD, POST, PUT, DELETE or OPTIONS",
                defaultValue = "GET", values = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"})
        String method,
        @Attribute(doc = "accept any certificate for any name, for this check only") Boolean insecure,
        @Attribute(doc = "follow redirects and judge the last answer; default false, so a redirect is "
                + "judged itself (status 301, say)",
                defaultValue = "false")
        Boolean followRedirects,
        @Attribute(doc = "the Host header to send instead of the URL's host, to ask one virtual host of a server by its "
                + "address; on https the certificate is still verified against the URL's host")
        String hostHeader) implements Check {

    static {
        // The JDK drops a Host header a caller sets unless this is set before its HTTP client class first loads;
        // verify() makes sure it took effect rather than trusting the order in which classes load.
        System.setProperty("sun.net.http.allowRestrictedHeaders", "true");
    }

    private static final int MAX_BODY_BYTES = 1 << 20;
    /** A Host header's value: a name or address, optionally with a port; nothing that could end the header. */
    private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+)(:\\d{1,5})?");
    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"};

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        Patterns.validate(problems, "body_matches", bodyMatches);
        Rules.oneOf(problems, "method", method, METHODS);
        if (status != null && (status < 100 || status > 599)) {
            problems.add(Diagnostic.ofAttribute("status", status + " is not an HTTP status code; expected 100 to 599"));
        }
        if ("HEAD".equals(method) && (bodyContains != null || bodyMatches != null)) {
            problems.add(Diagnostic.ofAttribute("method", "a HEAD answer has no body to match; use GET, or leave out "
                    + "body_contains and body_matches"));
        }
        if (hostHeader != null && !HOST.matcher(hostHeader).matches()) {
            problems.add(Diagnostic.ofAttribute("host_header", "'" + Printable.escape(hostHeader) + "' is not a host "
                    + "name; expected a name with an optional port, such as shop.example or shop.example:8080"));
        }
        String urlProblem = Rules.httpUrlProblem(url);
        if (urlProblem != null) {
            problems.add(Diagnostic.ofAttribute(null, urlProblem));
        }
        return problems;
    }

    @Override
    public Verdict verify(CheckContext context, Duration timeout) throws IOException, ResourceException {
        URI uri = URI.create(url);
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        connection.setConnectTimeout(millis);
        connection.setReadTimeout(millis);
        connection.setInstanceFollowRedirects(Boolean.TRUE.equals(followRedirects));
        connection.setRequestMethod(method == null ? "GET" : method);
        connection.setRequestProperty("User-Agent", "plumb-check");
        if (hostHeader != null) {
            connection.setRequestProperty("Host", hostHeader);
            if (!hostHeader.equals(connection.getRequestProperty("Host"))) {
                throw new IllegalStateException("the JDK refused to send the Host header: its HTTP client loaded "
                        + "before HttpCheck allowed it; this is a bug in plumb");
            }
        }
        if (Boolean.TRUE.equals(insecure) && connection instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(TrustingTls.socketFactory(context));
            https.setHostnameVerifier((host, session) -> true);
        }
        int code;
        byte[] bytes;
        try {
            code = connection.getResponseCode();
            InputStream in = code >= 400 ? connection.getErrorStream() : connection.getInputStream();
            bytes = in == null ? new byte[0] : read(in, connection);
        } catch (SocketTimeoutException e) {
            throw new ResourceException("no answer from " + url + " within " + Durations.format(timeout));
        } catch (SSLException e) {
            throw new ResourceException("TLS with " + uri.getHost() + " failed: " + CheckRunner.messageOf(e)
                    + (Boolean.TRUE.equals(insecure) ? "" : "; if that certificate is meant to be untrusted, set insecure: true"));
        } catch (ConnectException e) {
            throw new ResourceException("cannot connect to " + authority(uri) + ": " + CheckRunner.messageOf(e).toLowerCase());
        } catch (IOException e) {
            throw new ResourceException("request to " + url + " failed: " + CheckRunner.messageOf(e));
        }
        String body = new String(bytes, StandardCharsets.UTF_8);
        Verdict verdict = new Verdict();
        int expectedStatus = status == null ? 200 : status;
        if (code != expectedStatus) {
            verdict.mismatch("status", String.valueOf(expectedStatus), String.valueOf(code));
        }
        if (bodyContains != null && !body.contains(bodyContains)) {
            verdict.mismatch("body_contains", Evidence.quote(bodyContains), "a body without it (" + bytes.length + " bytes)");
        }
        if (bodyMatches != null && !Patterns.findsIn(bodyMatches, body)) {
            verdict.mismatch("body_matches", "a match for " + Evidence.quote(bodyMatches),
                    "none in the body (" + bytes.length + " bytes)");
        }
        List<String> shownHeaders = new ArrayList<>();
        if (headers != null) {
            headers.forEach((name, expected) -> {
                List<String> values = headerValues(connection, name);
                values.forEach(value -> shownHeaders.add(name.toLowerCase() + ": " + value));
                if (values.stream().noneMatch(value -> value.contains(String.valueOf(expected)))) {
                    verdict.mismatch("headers", name + " containing " + Evidence.quote(String.valueOf(expected)),
                            values.isEmpty() ? "no " + name + " header" : name + ": " + String.join(", ", values));
                }
            });
        }
        headerValues(connection, "Location").forEach(location -> shownHeaders.add(0, "location: " + location));
        return verdict.evidence("HTTP " + code + " from " + connection.getURL()
                + (shownHeaders.isEmpty() ? "" : "\n" + String.join("\n", shownHeaders))
                + (body.isBlank() ? "" : "\n" + Evidence.firstLines(body)));
    }

    /**
     * The body, at most {@link #MAX_BODY_BYTES}. A body read to its end leaves the connection to be used again by
     * the next check of that server; a longer one is cut off with its connection.
     */
    private static byte[] read(InputStream in, HttpURLConnection connection) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES);
        if (in.read() == -1) {
            in.close();
        } else {
            connection.disconnect();
        }
        return bytes;
    }

    /** Every value of a header, whatever the case of its name in the answer. */
    private static List<String> headerValues(HttpURLConnection connection, String name) {
        List<String> values = new ArrayList<>();
        connection.getHeaderFields().forEach((key, list) -> {
            if (name.equalsIgnoreCase(key)) {
                values.addAll(list);
            }
        });
        return values;
    }

    private static String authority(URI uri) {
        int port = uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        return uri.getHost() + ":" + port;
    }
}
