window.YTD.tweet.part0 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1400000000000000001"
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
        "23"
      ],
      "favorite_count" : "0",
      "id_str" : "1400000000000000001",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1400000000000000001",
      "created_at" : "Tue Jun 01 09:00:00 +0000 2021",
      "favorited" : false,
      "full_text" : "Bonjour &amp; bienvenue",
      "lang" : "fr"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1400000000000000002"
          ],
          "editableUntil" : "2024-11-09T13:14:18.000Z",
          "editsRemaining" : "5",
          "isEditEligible" : true
        }
      },
      "retweeted" : false,
      "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities" : {
        "user_mentions" : [
          {
            "name" : "Some One",
            "screen_name" : "someone",
            "indices" : [
              "0",
              "8"
            ],
            "id_str" : "424242",
            "id" : "424242"
          }
        ]
      },
      "display_text_range" : [
        "0",
        "14"
      ],
      "favorite_count" : "0",
      "id_str" : "1400000000000000002",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1400000000000000002",
      "created_at" : "Tue Jun 01 09:01:00 +0000 2021",
      "favorited" : false,
      "full_text" : "@someone merci",
      "lang" : "fr",
      "in_reply_to_user_id_str" : "424242",
      "in_reply_to_screen_name" : "someone"
    }
  }
]