authentication {
    rest {
        bearer {
            implementation {
                request.header("Authorization", "Bearer " + decrypt(configuration.apiToken))
            }
        }
        preference bearer
    }
}

test {
    endpoint "/me"
}
