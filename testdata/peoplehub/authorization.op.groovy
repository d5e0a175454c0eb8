authentication {
    scim {
        oauth2ClientCredentials {
            buildTokenRequest {
                request.formParam("grant_type", "client_credentials")
            }
            applyToken {
                request.header("Authorization", "Bearer " + token)
            }
        }
        preference oauth2ClientCredentials
    }
}
