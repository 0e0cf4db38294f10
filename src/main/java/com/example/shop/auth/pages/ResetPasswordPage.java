package com.example.shop.auth.pages;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import com.example.shop.auth.AuthConfig;

/** {@code GET /reset-password?token=…}: a form for the new password; served by the reset function. */
@Path("/reset-password")
public class ResetPasswordPage {

    private final String html;

    public ResetPasswordPage(AuthConfig config) {
        html = Pages.read("reset-password.html")
                .replace("{{minLength}}", Integer.toString(config.password().minLength()));
    }

    @GET
    public Response page() {
        return Pages.respond(html, Pages.HTML);
    }
}
