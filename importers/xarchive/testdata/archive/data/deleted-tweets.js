window.YTD.deleted_tweets.part0 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1855000000000000007"
          ],
          "editableUntil" : "2024-11-09T13:14:18.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "hashtags" : [],
        "symbols" : [],
        "user_mentions" : [],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "40"
      ],
      "favorite_count" : "0",
      "id_str" : "1855000000000000007",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1855000000000000007",
      "created_at" : "Sat Nov 09 15:00:00 +0000 2024",
      "favorited" : false,
      "full_text" : "Je ferme mes DM &amp; je passe en privé.",
      "lang" : "fr",
      "deleted_at" : "Sat Nov 09 15:30:00 +0000 2024"
    }
  }
]