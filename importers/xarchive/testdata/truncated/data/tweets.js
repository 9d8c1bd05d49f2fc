window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1855000000000000000"
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
        "9"
      ],
      "favorite_count" : "0",
      "id_str" : "1855000000000000000",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1855000000000000000",
      "created_at" : "Sat Nov 09 11:00:00 +0000 2024",
      "favorited" : false,
      "full_text" : "message 0",
      "lang" : "fr"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1855000000000000001"
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
        "9"
      ],
      "favorite_count" : "0",
      "id_str" : "1855000000000000001",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1855000000000000001",
      "created_at" : "Sat Nov 09 11:01:00 +0000 2024",
      "favorited" : false,
      "full_text" : "message 1",
      "lang" : "fr"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1855000000000000002"
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
        "9"
      ],
      "favorite_count" : "0",
      "id_str" : "1855000000000000002",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1855000000000000002",
      "created_at" : "Sat Nov 09 11:02:00 +0000 2024",
      "favorited" : false,
      