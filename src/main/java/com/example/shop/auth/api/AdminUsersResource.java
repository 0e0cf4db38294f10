package com.example.shop.auth.api;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseHeader;
import org.jboss.resteasy.reactive.ResponseStatus;

import com.example.shop.auth.account.InvalidInputException;
import com.example.shop.auth.admin.AdminService;
import com.example.shop.auth.api.ApiModels.DisableRequest;
import com.example.shop.auth.api.ApiModels.UserList;
import com.example.shop.auth.api.ApiModels.UserSummary;

/** The admin API: what a shop's support and security staff do to customers' accounts (IAM callers only). */
@Path("/admin/users")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
public class AdminUsersResource {

    private static final int DEFAULT_PAGE = 50;

    private final AdminService admin;
    private final AdminCaller caller;

    public AdminUsersResource(AdminService admin, AdminCaller caller) {
        this.admin = admin;
        this.caller = caller;
    }

    /** By email (0 or 1 user), or a page of users after {@code cursor}. */
    @GET
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public UserList find(@QueryParam("email") String email, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        if (email != null) {
            if (limit != null || cursor != null) {
                throw new InvalidInputException("email", "Find by email, or list with limit and cursor: not both.");
            }
            return new UserList(admin.findByEmail(caller.arn(), email).map(UserSummary::of).stream().toList(), null);
        }
        var page = admin.list(caller.arn(), parseLimit(limit), Optional.ofNullable(cursor));
        List<UserSummary> users = page.accounts().stream().map(UserSummary::of).toList();
        return new UserList(users, page.nextCursor().orElse(null));
    }

    @GET
    @Path("{userId}")
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public UserSummary get(@PathParam("userId") String userId) {
        return UserSummary.of(admin.get(caller.arn(), userId));
    }

    @POST
    @Path("{userId}/disable")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(204)
    public void disable(@PathParam("userId") String userId, DisableRequest request) {
        RequestBodies.require(request);
        admin.disable(caller.arn(), userId, request.reason());
    }

    @POST
    @Path("{userId}/enable")
    @ResponseStatus(204)
    public void enable(@PathParam("userId") String userId) {
        admin.enable(caller.arn(), userId);
    }

    @POST
    @Path("{userId}/sign-out")
    @ResponseStatus(204)
    public void signOut(@PathParam("userId") String userId) {
        admin.signOutEverywhere(caller.arn(), userId);
    }

    @POST
    @Path("{userId}/unlock")
    @ResponseStatus(204)
    public void unlock(@PathParam("userId") String userId) {
        admin.unlock(caller.arn(), userId);
    }

    @POST
    @Path("{userId}/password-reset")
    @ResponseStatus(202)
    public void passwordReset(@PathParam("userId") String userId) {
        admin.sendPasswordReset(caller.arn(), userId);
    }

    @DELETE
    @Path("{userId}/mfa")
    @ResponseStatus(204)
    public void removeMfa(@PathParam("userId") String userId) {
        admin.removeMfa(caller.arn(), userId);
    }

    @DELETE
    @Path("{userId}/passkeys/{passkeyId}")
    @ResponseStatus(204)
    public void deletePasskey(@PathParam("userId") String userId, @PathParam("passkeyId") String passkeyId) {
        admin.deletePasskey(caller.arn(), userId, passkeyId);
    }

    @DELETE
    @Path("{userId}")
    @ResponseStatus(204)
    public void delete(@PathParam("userId") String userId) {
        admin.delete(caller.arn(), userId);
    }

    private static int parseLimit(String limit) {
        if (limit == null) {
            return DEFAULT_PAGE;
        }
        try {
            return Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("limit", "limit must be a whole number from 1 to " + AdminService.MAX_PAGE + ".");
        }
    }
}
