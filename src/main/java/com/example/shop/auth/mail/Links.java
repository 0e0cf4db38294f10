package com.example.shop.auth.mail;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.example.shop.auth.AuthConfig;

/**
 * The links in our emails. A configured base URL (a shop's own page) wins; otherwise the link opens this API's own
 * page on the domain API Gateway reports for the request ({@code requestContext.domainName}: the API's
 * execute-api domain or a custom domain mapped to it, which a client cannot choose, unlike a Host header).
 */
@ApplicationScoped
public class Links {

    static final String RESET_PAGE = "/reset-password";
    static final String VERIFY_PAGE = "/verify-email";
    static final String EMAIL_CHANGE_PAGE = "/confirm-email-change";

    private final AuthConfig config;
    private final Instance<APIGatewayV2HTTPEvent.RequestContext> gateway;

    public Links(AuthConfig config, Instance<APIGatewayV2HTTPEvent.RequestContext> gateway) {
        this.config = config;
        this.gateway = gateway;
    }

    public String resetLink(String token) {
        return withToken(config.reset().linkBaseUrl(), RESET_PAGE, token);
    }

    public String verificationLink(String token) {
        return withToken(config.verification().linkBaseUrl(), VERIFY_PAGE, token);
    }

    public String emailChangeLink(String token) {
        return withToken(config.emailChange().linkBaseUrl(), EMAIL_CHANGE_PAGE, token);
    }

    private String withToken(Optional<String> configured, String page, String token) {
        String base = configured.orElseGet(() -> ownPage(page));
        return base + (base.contains("?") ? "&" : "?") + "token=" + token;
    }

    private String ownPage(String page) {
        String domain = gateway.isResolvable() ? gateway.get().getDomainName() : null;
        if (domain == null || domain.isBlank()) {
            throw new IllegalStateException("no link base URL is configured and the request names no API domain");
        }
        return "https://" + domain + page;
    }
}
