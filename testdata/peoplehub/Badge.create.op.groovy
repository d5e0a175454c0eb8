objectClass("Badge") {
    create {
        endpoint(POST, "/badges") {
            request {
                contentType APPLICATION_JSON
            }
            supportedAttribute("serial")
            supportedAttributes "holder", "validUntil", "zones"
        }
    }
}
