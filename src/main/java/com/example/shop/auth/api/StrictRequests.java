package com.example.shop.auth.api;

import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * What every request and response of the API must be. A request that carries a body must say it is exactly
 * {@code application/json} (a UTF-8 charset parameter allowed), else 415: Quarkus REST would also take a missing
 * type, {@code *}{@code /*} or {@code application/*}, which lets any web page send a body cross-site without a CORS
 * preflight. Every response tells browsers not to sniff its type, and not to store it unless it says otherwise.
 */
@Provider
@Priority(Priorities.HEADER_DECORATOR)
public class StrictRequests implements ContainerRequestFilter, ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        if (!carriesBody(request)) {
            return;
        }
        MediaType type = request.getMediaType();
        if (type == null || !type.getType().equalsIgnoreCase("application") || !type.getSubtype().equalsIgnoreCase("json")
                || !onlyUtf8Charset(type.getParameters())) {
            throw new NotSupportedException();
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        response.getHeaders().putSingle("X-Content-Type-Options", "nosniff");
        if (!response.getHeaders().containsKey(HttpHeaders.CACHE_CONTROL)) {
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
        }
    }

    private static boolean carriesBody(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return !length.strip().equals("0");
        }
        return request.getHeaderString("Transfer-Encoding") != null || request.hasEntity();
    }

    private static boolean onlyUtf8Charset(Map<String, String> parameters) {
        return parameters.entrySet().stream().allMatch(p -> p.getKey().equalsIgnoreCase("charset")
                && p.getValue().replace("\"", "").equalsIgnoreCase("utf-8"));
    }
}
