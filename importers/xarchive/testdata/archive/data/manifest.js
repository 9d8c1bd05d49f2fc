window.__THAR_CONFIG = {
  "userInfo" : {
    "accountId" : "1122334455",
    "userName" : "victime_fr",
    "displayName" : "Camille V."
  },
  "archiveInfo" : {
    "sizeBytes" : "123456",
    "generationDate" : "2024-11-12T08:00:00.000Z",
    "isPartialArchive" : false,
    "maxPartSizeBytes" : "53687091200"
  },
  "readmeInfo" : {
    "fileName" : "data/README.txt",
    "directory" : "data/",
    "name" : "README.txt"
  },
  "dataTypes" : {
    "account" : {
      "files" : [
        {
          "fileName" : "data/account.js",
          "globalName" : "YTD.account.part0",
          "count" : "1"
        }
      ]
    },
    "deletedTweets" : {
      "mediaDirectory" : "data/deleted_tweets_media",
      "files" : [
        {
          "fileName" : "data/deleted-tweets.js",
          "globalName" : "YTD.deleted_tweets.part0",
          "count" : "1"
        }
      ]
    },
    "directMessages" : {
      "mediaDirectory" : "data/direct_messages_media",
      "files" : [
        {
          "fileName" : "data/direct-messages.js",
          "globalName" : "YTD.direct_messages.part0",
          "count" : "2"
        }
      ]
    },
    "directMessagesGroup" : {
      "mediaDirectory" : "data/direct_messages_group_media",
      "files" : [
        {
          "fileName" : "data/direct-messages-group.js",
          "globalName" : "YTD.direct_messages_group.part0",
          "count" : "1"
        }
      ]
    },
    "like" : {
      "files" : [
        {
          "fileName" : "data/like.js",
          "globalName" : "YTD.like.part0",
          "count" : "1"
        }
      ]
    },
    "noteTweet" : {
      "files" : [
        {
          "fileName" : "data/note-tweet.js",
          "globalName" : "YTD.note_tweet.part0",
          "count" : "2"
        }
      ]
    },
    "tweets" : {
      "mediaDirectory" : "data/tweets_media",
      "files" : [
        {
          "fileName" : "data/tweets.js",
          "globalName" : "YTD.tweets.part0",
          "count" : "5"
        },
        {
          "fileName" : "data/tweets-part1.js",
          "globalName" : "YTD.tweets.part1",
          "count" : "1"
        }
      ]
    }
  }
}