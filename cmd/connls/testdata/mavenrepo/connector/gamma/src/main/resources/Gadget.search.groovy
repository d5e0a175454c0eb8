objectClass("Gadget") {
    search {
        endpoint("gadgets") {
            responseFormat JSON_ARRAY
        }
    }
}
