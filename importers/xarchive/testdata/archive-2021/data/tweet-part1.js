window.YTD.tweet.part1 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1400000000000000003"
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
        "8"
      ],
      "favorite_count" : "0",
      "id_str" : "1400000000000000003",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1400000000000000003",
      "created_at" : "Tue Jun 01 09:02:00 +0000 2021",
      "favorited" : false,
      "full_text" : "part one",
      "lang" : "fr"
    }
  }
]