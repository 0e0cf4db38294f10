package com.example.shop.auth.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseStatus;

import com.example.shop.auth.account.SignupService;
import com.example.shop.auth.api.ApiModels.SignupRequest;
import com.example.shop.auth.api.ApiModels.SignupResponse;
import com.example.shop.auth.user.User;

@Path("/signup")
public class SignupResource {

    private final SignupService signup;

    public SignupResource(SignupService signup) {
        this.signup = signup;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public SignupResponse signUp(SignupRequest request) {
        RequestBodies.require(request);
        User user = signup.signUp(request.email(), request.password(), request.name());
        return new SignupResponse(user.userId(), user.email(), user.name(), user.createdAt().toString());
    }
}
