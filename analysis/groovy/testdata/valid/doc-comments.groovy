/** Slack extension attributes **/
objectClass("User") {
    /** The user's id **/
    attribute("id") {
        jsonType "string"
    }
    /**
     * Display name.
     * @see docs
     **/
    attribute("displayName") {
        jsonType "string"
    }
    /* plain **/ attribute("title") { jsonType "string" }
}
/***/
objectClass("Group") {
    attribute("id") { jsonType "string" }
}
