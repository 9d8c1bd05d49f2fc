window.YTD.direct_messages_group.part0 = [
  {
    "dmConversation" : {
      "conversationId" : "1456789012345678901",
      "messages" : [
        {
          "participantsLeave" : {
            "userIds" : [
              "1122334455"
            ],
            "createdAt" : "2024-11-09T10:20:00.000Z"
          }
        },
        {
          "messageCreate" : {
            "reactions" : [],
            "urls" : [],
            "text" : "ajoutez-la partout",
            "mediaUrls" : [],
            "senderId" : "5550001",
            "id" : "1855200000000000002",
            "createdAt" : "2024-11-09T10:11:00.000Z"
          }
        },
        {
          "messageCreate" : {
            "reactions" : [],
            "urls" : [],
            "text" : "bienvenue dans le groupe 😈",
            "mediaUrls" : [],
            "senderId" : "901234567890123456",
            "id" : "1855200000000000001",
            "createdAt" : "2024-11-09T10:10:30.000Z"
          }
        },
        {
          "joinConversation" : {
            "initiatingUserId" : "901234567890123456",
            "participantsSnapshot" : [
              "901234567890123456",
              "5550001",
              "7770001"
            ],
            "createdAt" : "2024-11-09T10:10:00.000Z"
          }
        }
      ]
    }
  }
]