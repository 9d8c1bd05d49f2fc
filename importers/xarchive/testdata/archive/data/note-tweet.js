window.YTD.note_tweet.part0 = [
  {
    "noteTweet" : {
      "noteTweetId" : "1855000000000000000",
      "updatedAt" : "2024-11-09T12:14:18.000Z",
      "lifecycle" : {
        "value" : "1",
        "name" : "Active",
        "originalName" : "Active",
        "annotations" : {}
      },
      "createdAt" : "2024-11-09T12:14:18.000Z",
      "core" : {
        "styletags" : [],
        "urls" : [],
        "text" : "Thread important : ce qui m'arrive depuis hier >> des centaines de messages identiques, envoyés par des comptes créés le même jour. Je documente tout avec une association et je porte plainte. Merci à celles et ceux qui m'ont écrit, vous êtes nombreux & nombreuses, et cela compte énormément pour moi dans ce moment difficile.",
        "mentions" : [],
        "cashtags" : [],
        "hashtags" : []
      }
    }
  },
  {
    "noteTweet" : {
      "noteTweetId" : "1850000000000000000",
      "updatedAt" : "2024-10-01T09:00:00.000Z",
      "lifecycle" : {
        "value" : "1",
        "name" : "Active",
        "originalName" : "Active",
        "annotations" : {}
      },
      "createdAt" : "2024-10-01T09:00:00.000Z",
      "core" : {
        "styletags" : [],
        "urls" : [],
        "text" : "Un long post dont le tweet a disparu de l'archive.",
        "mentions" : [],
        "cashtags" : [],
        "hashtags" : []
      }
    }
  }
]