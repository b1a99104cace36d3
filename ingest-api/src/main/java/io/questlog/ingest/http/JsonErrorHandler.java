package io.questlog.ingest.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Jetty's own refusals (a request it cannot parse: header flood, bad request line, broken chunking)
 * answered in the API's JSON error shape instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    private final IngestMetrics metrics;

    JsonErrorHandler(IngestMetrics metrics) {
        this.metrics = metrics;
    }

    /** A request Jetty could not parse: no handler or request logger sees it, so it is counted here. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        metrics.refusedByJetty(status);
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return BufferUtil.toBuffer(body(status, reason), StandardCharsets.UTF_8);
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        baseRequest.setHandled(true);
        int status = response.getStatus();
        byte[] body = body(status, null).getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static String body(int status, String jettyReason) {
        String reason = switch (status) {
            case 431 -> "headers_too_large";
            case 414 -> "uri_too_long";
            case 413 -> "body_too_large";
            case 408 -> "body_too_slow";
            case 400 -> "bad_http_request";
            default -> "http_" + status;
        };
        String message = switch (status) {
            case 431 -> "request headers are too large (at most 8 KiB in all)";
            case 414 -> "request line is too long";
            case 408 -> "the request arrived too slowly";
            default -> "the request is not valid HTTP";
        };
        if (jettyReason != null && !jettyReason.isBlank()) message += ": " + jettyReason;
        return ApiError.json(reason, message);
    }
}
