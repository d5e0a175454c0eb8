objectClass("Badge") {
    update {
        // PATCH /badges/{id}, as documented in docs/badges.md
        // zones is multi-valued: PATCH replaces its whole list
        endpoint(PATCH, "/badges/{id}") {
            request {
                contentType APPLICATION_JSON
            }
            supportedAttributes "holder", "validUntil", "zones"
        }
    }
}
