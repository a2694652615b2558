package dev.plumb.server.api;

/** A request answered with an HTTP error status and {@code {"error": message}}. */
final class ApiError extends RuntimeException {

    static final ApiError UNAUTHORIZED = new ApiError(401, "unauthorized");
    static final ApiError FORBIDDEN = new ApiError(403, "forbidden");

    final int status;

    ApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}
