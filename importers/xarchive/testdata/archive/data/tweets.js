window.YTD.tweets.part0 = [
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
        "user_mentions" : [
          {
            "name" : "Bot équipe",
            "screen_name" : "raid_bot_01",
            "indices" : [
              "0",
              "12"
            ],
            "id_str" : "901234567890123456",
            "id" : "901234567890123456"
          }
        ],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "55"
      ],
      "favorite_count" : "0",
      "id_str" : "1855000000000000001",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1855000000000000001",
      "created_at" : "Sat Nov 09 11:00:00 +0000 2024",
      "favorited" : false,
      "full_text" : "@raid_bot_01 Arrête &amp; laisse-moi tranquille &lt;3 😢",
      "lang" : "fr",
      "in_reply_to_status_id_str" : "1854999999999999999",
      "in_reply_to_status_id" : "1854999999999999999",
      "in_reply_to_user_id" : "901234567890123456",
      "in_reply_to_user_id_str" : "901234567890123456",
      "in_reply_to_screen_name" : "raid_bot_01"
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
        "249"
      ],
      "favorite_count" : "0",
      "id_str" : "1855000000000000002",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1855000000000000002",
      "created_at" : "Sat Nov 09 12:14:18 +0000 2024",
      "favorited" : false,
      "full_text" : "Thread important : ce qui m'arrive depuis hier &gt;&gt; des centaines de messages identiques, envoyés par des comptes créés le même jour. Je documente tout avec une association et je porte plainte. Merci à celles et ceux qui… https://t.co/AbCdEf1234",
      "lang" : "fr"
    }
  },
  {
    "tweet" : "corrupted"
  },
  {
    "tweet" : {
      "edit_info" : {
        "initial" : {
          "editTweetIds" : [
            "1855000000000000004"
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
        "user_mentions" : [
          {
            "name" : "Troll Deux",
            "screen_name" : "troll_two",
            "indices" : [
              "3",
              "13"
            ],
            "id_str" : "7770001",
            "id" : "7770001"
          }
        ],
        "urls" : []
      },
      "display_text_range" : [
        "0",
        "31"
      ],
      "favorite_count" : "0",
      "id_str" : "1855000000000000004",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1855000000000000004",
      "created_at" : "Sat Nov 09 13:00:00 +0000 2024",
      "favorited" : false,
      "full_text" : "RT @troll_two: tu l'as cherché…",
      "lang" : "fr"
    }
  },
  {
    "tweet" : {
      "edit_info" : {
        "edit" : {
          "initialTweetId" : "1855000000000000003",
          "editControlInitial" : {
            "editTweetIds" : [
              "1855000000000000003",
              "1855000000000000005"
            ],
            "editableUntil" : "2024-11-09T14:00:00.000Z",
            "editsRemaining" : "4",
            "isEditEligible" : true
          }
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
        "46"
      ],
      "favorite_count" : "0",
      "id_str" : "1855000000000000005",
      "truncated" : false,
      "retweet_count" : "0",
      "id" : "1855000000000000005",
      "created_at" : "Sat Nov 09 13:05:00 +0000 2024",
      "favorited" : false,
      "full_text" : "Merci pour vos messages de soutien 💜 (corrigé)",
      "lang" : "fr"
    }
  }
]