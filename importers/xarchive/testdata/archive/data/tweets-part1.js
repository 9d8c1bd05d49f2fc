window.YTD.tweets.part1 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1855000000000000006"
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
        "35"
      ],
      "favorite_count" : "0",
      "id_str" : "1855000000000000006",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1855000000000000006",
      "created_at" : "Sun Nov 10 08:00:00 +0000 2024",
      "favorited" : false,
      "full_text" : "@troll_two je ne te répondrai plus.",
      "lang" : "fr",
      "in_reply_to_user_id" : "7770001",
      "in_reply_to_user_id_str" : "7770001",
      "in_reply_to_screen_name" : "troll_two",
      "in_reply_to_status_id" : "1855000000000000099",
      "in_reply_to_status_id_str" : "1855000000000000099"
    }
  }
]