// Group membership: users point to their groups, groups list their members.
relationship("GroupMembership") {
    subject("User") {
        attribute("groups") {
            resolver {
                resolutionType PER_OBJECT
                search {
                    attributeFilter("members").eq(value.uid)
                }
            }
        }
    }
    object("Group") {
        attribute("members") {
            role OBJECT
        }
    }
}
