objectClass("Team") {
    search {
        custom {
            implementation {
                def users = objectClass("User").search()
                for (def user: users) {
                    resultHandler.handle(user)
                }
            }
        }
    }
}

def helper(List<String> names) {
    for (String n : names) {
        println n
    }
}

for (def x : [1, 2, 3]) {
    println x
}

objectClass("Team") {
    search {
        endpoint("/teams") {
            emptyFilterSupported true
        }
    }
}
