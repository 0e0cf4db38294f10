package com.example.shop.auth.api;

import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * What every request body and response of the API must be. A body must say it is exactly {@code application/json}
 * (a UTF-8 charset parameter allowed), else 415 ({@link #isStrictJson}, checked where the body is read): Quarkus
 * REST would also take a missing type, {@code *}{@code /*} or {@code application/*}, which lets any web page send a
 * body cross-site without a CORS preflight. Every response tells browsers not to sniff its type, and not to store
 * it unless it says otherwise.
 */
@Provider
@Priority(Priorities.HEADER_DECORATOR)
public class StrictRequests implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        response.getHeaders().putSingle("X-Content-Type-Options", "nosniff");
        if (!response.getHeaders().containsKey(HttpHeaders.CACHE_CONTROL)) {
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
        }
    }

    /**
     * Exactly {@code application/json}, with at most a UTF-8 charset parameter. Checked where a body is read
     * ({@link BodySizeLimit}), so routes that take no body need no type.
     */
    static boolean isStrictJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        MediaType type;
        try {
            type = MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return type.getType().equalsIgnoreCase("application") && type.getSubtype().equalsIgnoreCase("json")
                && onlyUtf8Charset(type.getParameters());
    }

    private static boolean onlyUtf8Charset(Map<String, String> parameters) {
        return parameters.entrySet().stream().allMatch(p -> p.getKey().equalsIgnoreCase("charset")
                && p.getValue().replace("\"", "").equalsIgnoreCase("utf-8"));
    }
}
