package com.example.shop.auth.pages;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** The one script and style sheet both pages load from their own origin (CSP forbids anything inline). */
@Path("/pages")
public class PageAssets {

    private static final String SCRIPT = Pages.read("pages.js");
    private static final String STYLE = Pages.read("pages.css");

    @GET
    @Path("pages.js")
    public Response script() {
        return Pages.respond(SCRIPT, Pages.JAVASCRIPT);
    }

    @GET
    @Path("pages.css")
    public Response style() {
        return Pages.respond(STYLE, Pages.CSS);
    }
}
