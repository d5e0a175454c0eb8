objectClass("Widget") {
    search {
        endpoint("widgets/extra") {
            responseFormat JSON_ARRAY
        }
    }
}
