window.YTD.tweet.part0 = [
  {
    "tweet" : {
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
        "7"
      ],
      "favorite_count" : "0",
      "id_str" : "1410000000000000000",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1410000000000000000",
      "created_at" : "Tue Jun 01 09:00:00 +0000 2021",
      "favorited" : false,
      "full_text" : "tweet 0",
      "lang" : "fr"
    }
  },
  {
    "tweet" : {
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
        "7"
      ],
      "favorite_count" : "0",
      "id_str" : "1410000000000000001",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1410000000000000001",
      "created_at" : "Tue Jun 01 09:01:00 +0000 2021",
      "favorited" : false,
      "full_text" : "tweet 1",
      "lang" : "fr"
    }
  },
  {
    "tweet" : {
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
        "7"
      ],
      "favorite_count" : "0",
      "id_str" : "1410000000000000002",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1410000000000000002",
      "created_at" : "Tue Jun 01 09:02:00 +0000 2021",
      "favorited" : false,
      "full_text" : "tweet 2",
      "lang" : "fr"
    }
  },
  {
    "tweet" : {
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
        "7"
      ],
      "favorite_count" : "0",
      "id_str" : "1410000000000000003",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1410000000000000003",
      "created_at" : "Tue Jun 01 09:03:00 +0000 2021",
      "favorited" : false,
      "full_text" : "tweet 3",
      "lang" : "fr"
    }
  },
  {
    "tweet" : {
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
        "7"
      ],
      "favorite_count" : "0",
      "id_str" : "1410000000000000004",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1410000000000000004",
      "created_at" : "Tue Jun 01 09:04:00 +0000 2021",
      "favorited" : false,
      "full_text" : tweet 4,
      "lang" : "fr"
    }
  },
  {
    "tweet" : {
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
        "7"
      ],
      "favorite_count" : "0",
      "id_str" : "1410000000000000005",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1410000000000000005",
      "created_at" : "Tue Jun 01 09:05:00 +0000 2021",
      "favorited" : false,
      "full_text" : "tweet 5",
      "lang" : "fr"
    }
  },
  {
    "tweet" : {
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
        "7"
      ],
      "favorite_count" : "0",
      "id_str" : "1410000000000000006",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1410000000000000006",
      "created_at" : "Tue Jun 01 09:06:00 +0000 2021",
      "favorited" : false,
      "full_text" : "tweet 6",
      "lang" : "fr"
    }
  }
]