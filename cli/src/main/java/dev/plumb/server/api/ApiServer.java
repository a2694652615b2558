package dev.plumb.server.api;

import dev.plumb.catalog.Json;
import dev.plumb.catalog.RunReport;
import dev.plumb.facts.FactRequest;
import dev.plumb.server.AdminToken;
import dev.plumb.server.ServedProject;
import dev.plumb.server.ServerStartException;
import dev.plumb.server.store.FleetStore;
import dev.plumb.server.store.Secrets;
import dev.plumb.server.store.StoreException;
import dev.plumb.server.tls.ServerTls;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import tools.jackson.core.JacksonException;

/**
 * The HTTPS API of {@code docs/server.md}. Every call but {@code GET /api/v1/ca} and {@code POST /api/v1/enroll}
 * needs a credential, checked before anything else: none, an unknown or a revoked one gets 401 whatever the path,
 * so that nothing about the server shows to whoever has none. A host's credential may fetch only its own catalog and
 * post only its own reports (403 otherwise); the admin token may do everything else.
 */
public final class ApiServer implements AutoCloseable {

    static final String PREFIX = "/api/v1";
    /** Facts are a few KiB; a MiB is far more than any host sends. */
    static final int CATALOG_REQUEST_LIMIT = 1 << 20;
    /** A report of tens of thousands of resources with their diffs stays under this. */
    static final int REPORT_LIMIT = 16 << 20;
    private static final int SMALL_REQUEST_LIMIT = 64 << 10;
    /** How much of a body over its limit is read and dropped so that its client gets the 413; past this, the connection closes. */
    private static final long DRAIN_LIMIT = 64L << 20;
    private static final Duration ENROLL_TOKEN_VALIDITY = Duration.ofHours(24);
    private static final String HOST_NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,252}";

    /** Everything the API answers from. */
    public record Services(ServerTls tls, AdminToken admin, FleetStore store, ServedProject project,
                           Runnable fetchNow, Duration agentInterval, Clock clock, Consumer<String> log) {
    }

    private final Services services;
    private final Javalin app;
    /** The commit of the catalog this server last gave each host. */
    private final Map<String, String> servedCommits = new ConcurrentHashMap<>();

    private ApiServer(Services services, String host, int port) throws ServerStartException {
        this.services = services;
        char[] password = Secrets.random().toCharArray();
        KeyStore keyStore = services.tls().keyStore(password);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = REPORT_LIMIT;
            config.jetty.addConnector((jetty, httpConfig) -> httpsConnector(jetty, httpConfig, keyStore, password, host, port));
            routes(config.routes);
        });
    }

    /** Starts serving on {@code host}:{@code port} (0: any free port). */
    public static ApiServer start(String host, int port, Services services) throws ServerStartException {
        ApiServer server = new ApiServer(services, host, port);
        try {
            server.app.start();
        } catch (RuntimeException e) {
            throw new ServerStartException("cannot listen on " + host + ":" + port + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        return server;
    }

    private static ServerConnector httpsConnector(Server jetty, HttpConfiguration httpConfig, KeyStore keyStore,
                                                  char[] password, String host, int port) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(keyStore);
        ssl.setKeyStorePassword(new String(password));
        HttpConfiguration https = new HttpConfiguration(httpConfig);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Agents reach the server by address as often as by name; the certificate names both.
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(jetty, new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    private void routes(RoutesConfig routes) {
        FleetStore store = services.store();
        routes.before(this::authenticate);
        routes.get(PREFIX + "/ca", ctx -> ctx.contentType("application/x-pem-file").result(services.tls().caPem()));
        routes.post(PREFIX + "/enroll", this::enroll);
        routes.post(PREFIX + "/enroll-tokens", this::enrollToken);
        routes.delete(PREFIX + "/hosts/{host}/credential", this::revoke);
        routes.get(PREFIX + "/hosts/{host}/fact-request", this::factRequest);
        routes.post(PREFIX + "/hosts/{host}/catalog", this::catalog);
        routes.post(PREFIX + "/hosts/{host}/reports", this::report);
        routes.get(PREFIX + "/hosts", ctx -> admin(ctx, () -> store.hosts(services.agentInterval(), services.clock().instant())));
        routes.get(PREFIX + "/hosts/{host}", ctx -> admin(ctx, () ->
                store.host(ctx.pathParam("host")).orElseThrow(() -> notFound("host", ctx.pathParam("host")))));
        routes.get(PREFIX + "/hosts/{host}/runs", ctx -> admin(ctx, () -> store.runs(ctx.pathParam("host"), limit(ctx, 20))));
        routes.get(PREFIX + "/runs/{runId}", this::storedReport);
        routes.get(PREFIX + "/commits", ctx -> admin(ctx, store::commits));
        routes.get(PREFIX + "/events", ctx -> admin(ctx, () -> store.events(required(ctx, "resource"), limit(ctx, 100))));
        routes.post(PREFIX + "/hooks/git", this::gitHook);
        routes.exception(ApiError.class, (e, ctx) -> fail(ctx, e.status, e.getMessage()));
        routes.exception(StoreException.class, (e, ctx) -> {
            services.log().accept(ctx.method() + " " + ctx.path() + ": " + e.getMessage());
            fail(ctx, 503, "the store is unavailable; the server's log says why");
        });
        routes.exception(Exception.class, (e, ctx) -> {
            services.log().accept(ctx.method() + " " + ctx.path() + ": unexpected " + e + " (this is a bug in plumb)");
            fail(ctx, 500, "internal error; the server's log says more");
        });
        routes.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                fail(ctx, 404, "no such API call: " + ctx.method() + " " + ctx.path());
            }
        });
    }

    /** The port the server listens on. */
    public int port() {
        return ((ServerConnector) app.jettyServer().server().getConnectors()[0]).getLocalPort();
    }

    // --- authentication -------------------------------------------------------------------------------------------

    private static final String CALLER = "plumb.caller";

    /** Every call but the two a host makes before it has a credential must present one that is known. */
    private void authenticate(Context ctx) {
        String path = ctx.path();
        if (path.equals(PREFIX + "/ca") || path.equals(PREFIX + "/enroll")) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            throw ApiError.UNAUTHORIZED;
        }
        String credential = header.substring("Bearer ".length()).strip();
        if (services.admin().matches(credential)) {
            ctx.attribute(CALLER, Caller.ADMIN);
            return;
        }
        String host = services.store().hostForCredential(credential).orElseThrow(() -> ApiError.UNAUTHORIZED);
        ctx.attribute(CALLER, new Caller(host));
    }

    private static Caller caller(Context ctx) {
        return ctx.attribute(CALLER);
    }

    private static void requireAdmin(Context ctx) {
        if (!caller(ctx).isAdmin()) {
            throw ApiError.FORBIDDEN;
        }
    }

    // --- endpoints ------------------------------------------------------------------------------------------------

    private interface Read {
        Object value();
    }

    private void admin(Context ctx, Read read) {
        requireAdmin(ctx);
        send(ctx, 200, read.value());
    }

    private void enrollToken(Context ctx) {
        requireAdmin(ctx);
        String host = hostName(field(readJson(ctx, SMALL_REQUEST_LIMIT), "host"));
        String secret = services.store().createEnrollToken(host, ENROLL_TOKEN_VALIDITY);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("host", host);
        answer.put("token", secret + "." + services.tls().caFingerprint());
        answer.put("expiresAt", services.clock().instant().plus(ENROLL_TOKEN_VALIDITY).truncatedTo(ChronoUnit.SECONDS).toString());
        services.log().accept("enrolment token issued for " + host);
        send(ctx, 200, answer);
    }

    private void enroll(Context ctx) {
        Map<String, Object> request = readJson(ctx, SMALL_REQUEST_LIMIT);
        String host = hostName(field(request, "host"));
        String token = field(request, "token");
        int dot = token.indexOf('.');
        // The part after the dot is the CA's fingerprint, for the agent; a token for another CA is no token of ours.
        if (dot < 0 || !token.substring(dot + 1).equals(services.tls().caFingerprint())) {
            throw ApiError.UNAUTHORIZED;
        }
        String credential = services.store().redeemEnrollToken(host, token.substring(0, dot))
                .orElseThrow(() -> ApiError.UNAUTHORIZED);
        services.log().accept(host + " enrolled");
        send(ctx, 200, Map.of("host", host, "credential", credential));
    }

    private void revoke(Context ctx) {
        requireAdmin(ctx);
        String host = ctx.pathParam("host");
        if (!services.store().revoke(host)) {
            throw notFound("enrolled host", host);
        }
        services.log().accept(host + "'s credential revoked");
        send(ctx, 200, Map.of("host", host, "revoked", true));
    }

    private void factRequest(Context ctx) {
        if (!caller(ctx).mayActAs(ctx.pathParam("host"), false)) {
            throw ApiError.FORBIDDEN;
        }
        FactRequest request = services.project().factRequest();
        if (request == null) {
            throw new ApiError(503, "no commit has compiled yet; the server's log and GET /api/v1/commits say why");
        }
        send(ctx, 200, request);
    }

    private void catalog(Context ctx) {
        String host = ctx.pathParam("host");
        if (!caller(ctx).mayActAs(host, false)) {
            throw ApiError.FORBIDDEN;
        }
        ServedProject.Answer answer = services.project().catalog(host, body(ctx, CATALOG_REQUEST_LIMIT));
        if (answer instanceof ServedProject.Compiled compiled) {
            // Written when the host gets a commit it did not get from this server before: "which commit does the host
            // have" needs that, and a write at every request would make the cached answer as slow as the database.
            if (!compiled.commit().equals(servedCommits.put(host, compiled.commit()))) {
                services.store().recordCatalogServed(host, compiled.commit(), services.clock().instant());
            }
            ctx.contentType("application/json").result(compiled.json());
        } else if (answer instanceof ServedProject.DoesNotCompile problems) {
            throw new ApiError(422, problems.problems());
        } else if (answer instanceof ServedProject.BadFacts bad) {
            throw new ApiError(400, bad.reason());
        } else {
            throw new ApiError(503, "no commit has compiled yet; the server's log and GET /api/v1/commits say why");
        }
    }

    private void report(Context ctx) {
        String host = ctx.pathParam("host");
        // The admin posts reports too: those of `plumb apply --server` over SSH.
        if (!caller(ctx).mayActAs(host, true)) {
            throw ApiError.FORBIDDEN;
        }
        Body body = requestBody(ctx, REPORT_LIMIT);
        byte[] json = body.plain();
        RunReport report;
        try {
            report = Json.MAPPER.readValue(json, RunReport.class);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new ApiError(400, "not a run report: " + (e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (report.schemaVersion() != RunReport.SCHEMA_VERSION) {
            throw new ApiError(400, "report schemaVersion " + report.schemaVersion() + "; this server takes "
                    + RunReport.SCHEMA_VERSION);
        }
        if (report.runId() == null || !isUuid(report.runId())) {
            throw new ApiError(400, "report runId " + report.runId() + " is not a UUID");
        }
        if (!host.equals(report.host())) {
            throw new ApiError(400, "the report is of host " + report.host() + ", posted as " + host);
        }
        boolean duplicate = services.store().ingest(host, report, json, body.gzipped()).duplicate();
        send(ctx, 200, Map.of("runId", report.runId(), "duplicate", duplicate));
    }

    private void storedReport(Context ctx) {
        requireAdmin(ctx);
        String runId = ctx.pathParam("runId");
        byte[] json = services.store().report(runId).orElseThrow(() -> notFound("run", runId));
        ctx.contentType("application/json").result(json);
    }

    private void gitHook(Context ctx) {
        requireAdmin(ctx);
        services.fetchNow().run();
        send(ctx, 202, Map.of("fetch", "started"));
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private void fail(Context ctx, int status, String message) {
        // One line per failed request; a credential or a body is never part of it.
        services.log().accept(ctx.method() + " " + ctx.path() + " " + status + ": " + message.lines().findFirst().orElse(""));
        send(ctx, status, Map.of("error", message));
    }

    private static void send(Context ctx, int status, Object value) {
        ctx.status(status).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(value));
    }

    /**
     * The request's body, at most {@code limit} bytes. A longer one is refused with 413, after reading and dropping
     * what the client still sends (up to {@link #DRAIN_LIMIT}): a client still writing when the server closes the
     * connection would see a reset rather than the 413.
     */
    private static byte[] body(Context ctx, int limit) {
        return requestBody(ctx, limit).plain();
    }

    /**
     * A request's body as sent ({@code gzipped} when it came with {@code Content-Encoding: gzip}, else null) and as
     * read; {@code limit} bounds both, so a small body that inflates to gigabytes is refused like a large one.
     */
    private record Body(byte[] plain, byte[] gzipped) {
    }

    private static Body requestBody(Context ctx, int limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > DRAIN_LIMIT) {
            throw tooLarge(limit);
        }
        byte[] sent;
        try (InputStream in = ctx.bodyInputStream()) {
            sent = declared > limit ? null : in.readNBytes(limit + 1);
            if (sent == null || sent.length > limit) {
                drain(in);
                throw tooLarge(limit);
            }
        } catch (IOException e) {
            throw new ApiError(400, "the request body could not be read: " + e.getMessage());
        }
        String encoding = ctx.header("Content-Encoding");
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            return new Body(sent, null);
        }
        if (!encoding.equalsIgnoreCase("gzip")) {
            throw new ApiError(415, "Content-Encoding " + encoding + " is not taken; send gzip or no encoding");
        }
        try (InputStream inflated = new GZIPInputStream(new ByteArrayInputStream(sent))) {
            byte[] plain = inflated.readNBytes(limit + 1);
            if (plain.length > limit) {
                throw tooLarge(limit);
            }
            return new Body(plain, sent);
        } catch (IOException e) {
            throw new ApiError(400, "the request body is not gzip data: " + e.getMessage());
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 << 10];
        long left = DRAIN_LIMIT;
        for (int read; left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; ) {
            left -= read;
        }
    }

    private static ApiError tooLarge(int limit) {
        return new ApiError(413, "request body over " + (limit >> 10) + " KiB");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readJson(Context ctx, int limit) {
        try {
            Object value = Json.MAPPER.readValue(body(ctx, limit), Object.class);
            if (value instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
        } catch (JacksonException e) {
            throw new ApiError(400, "malformed JSON: " + e.getOriginalMessage());
        }
        throw new ApiError(400, "expected a JSON object");
    }

    private static String field(Map<String, Object> request, String name) {
        if (request.get(name) instanceof String value && !value.isEmpty()) {
            return value;
        }
        throw new ApiError(400, "expected \"" + name + "\": a non-empty string");
    }

    private static String hostName(String host) {
        if (!host.matches(HOST_NAME)) {
            throw new ApiError(400, "'" + host + "' is not a host name: letters, digits, '.', '_' and '-', starting "
                    + "with a letter or digit");
        }
        return host;
    }

    private static String required(Context ctx, String parameter) {
        String value = ctx.queryParam(parameter);
        if (value == null || value.isEmpty()) {
            throw new ApiError(400, "the query parameter " + parameter + " is required, e.g. ?resource=file:/etc/motd");
        }
        return value;
    }

    private static int limit(Context ctx, int byDefault) {
        String value = ctx.queryParam("limit");
        if (value == null) {
            return byDefault;
        }
        if (!value.matches("[0-9]{1,4}") || Integer.parseInt(value) == 0) {
            throw new ApiError(400, "limit " + value + ": expected a number from 1 to 9999");
        }
        return Integer.parseInt(value);
    }

    private static boolean isUuid(String value) {
        try {
            return UUID.fromString(value).toString().equalsIgnoreCase(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static ApiError notFound(String what, String name) {
        return new ApiError(404, "no " + what + " " + name);
    }

    @Override
    public void close() {
        app.stop();
    }
}
